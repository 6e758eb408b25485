"""Age bands from a birth year (pure: no Django). A customer's age is this year − birth year."""

from __future__ import annotations

# (code, lowest age, highest age); None is open-ended.
AGE_BANDS: tuple[tuple[str, int | None, int | None], ...] = (
    ("under_25", None, 24),
    ("25_34", 25, 34),
    ("35_44", 35, 44),
    ("45_54", 45, 54),
    ("55_plus", 55, None),
)
AGE_BAND_CODES = tuple(code for code, _low, _high in AGE_BANDS)


def age_band(birth_year: int | None, *, year: int) -> str:
    """The band code of someone born in `birth_year`, in `year` ("" when unknown)."""
    if birth_year is None:
        return ""
    age = year - birth_year
    for code, low, high in AGE_BANDS:
        if (low is None or age >= low) and (high is None or age <= high):
            return code
    return ""


def birth_years(code: str, *, year: int) -> tuple[int | None, int | None]:
    """The (earliest, latest) birth year of a band in `year`; KeyError for an unknown band."""
    low, high = {c: (lo, hi) for c, lo, hi in AGE_BANDS}[code]
    return (year - high if high is not None else None, year - low if low is not None else None)
