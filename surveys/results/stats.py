"""The statistics of a survey's results (pure: no Django): shares, mean and median of a
score distribution, NPS with its 95% interval, and the chi-square test of a cross-tab.

The NPS groups themselves come from `surveys.scoring.rules`, their one definition.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scipy.special import gammaincc

from surveys.scoring.rules import NpsGroup, ces_easy, csat_satisfied, nps_group

Z_95 = 1.959963984540054
# Expected cell counts under this make the chi-square approximation doubtful (Cochran).
SMALL_EXPECTED = 5


def share(count: int, total: int) -> float | None:
    """count ÷ total in percent, None when there is nothing to divide by."""
    return 100.0 * count / total if total else None


def mean_of(counts: Mapping[int, int]) -> float | None:
    """The mean of a score distribution {score: count}."""
    n = sum(counts.values())
    return sum(score * count for score, count in counts.items()) / n if n else None


def median_of(counts: Mapping[int, int]) -> float | None:
    """The median of a score distribution {score: count} (the mean of the two middle ones)."""
    n = sum(counts.values())
    if not n:
        return None
    middle = []
    seen = 0
    for score in sorted(counts):
        before, seen = seen, seen + counts[score]
        for rank in ((n - 1) // 2, n // 2):
            if before <= rank < seen:
                middle.append(score)
    return sum(middle) / len(middle)


def nps_summary(counts: Mapping[int, int]) -> dict:
    """NPS of 0–10 answers {score: count}: value, n, group counts and shares, 95% interval
    (variance of the difference of two proportions from one multinomial sample)."""
    groups = dict.fromkeys(NpsGroup, 0)
    for score, count in counts.items():
        groups[nps_group(score)] += count
    promoters, passives = groups[NpsGroup.PROMOTER], groups[NpsGroup.PASSIVE]
    detractors = groups[NpsGroup.DETRACTOR]
    n = promoters + passives + detractors
    result = {
        "value": None, "n": n, "ci_low": None, "ci_high": None,
        "promoters": promoters, "passives": passives, "detractors": detractors,
        "promoter_share": share(promoters, n), "passive_share": share(passives, n),
        "detractor_share": share(detractors, n),
    }  # fmt: skip
    if n:
        p_p, p_d = promoters / n, detractors / n
        value = 100.0 * (p_p - p_d)
        half = Z_95 * math.sqrt(max(p_p + p_d - (p_p - p_d) ** 2, 0.0) / n) * 100.0
        result.update(
            value=value, ci_low=max(value - half, -100.0), ci_high=min(value + half, 100.0)
        )
    return result


def csat_summary(counts: Mapping[int, int]) -> dict:
    """CSAT of 1–5 answers: the top-2-box share in percent, the mean and n."""
    n = sum(counts.values())
    satisfied = sum(c for score, c in counts.items() if csat_satisfied(score))
    return {"value": share(satisfied, n), "mean": mean_of(counts), "n": n}


def ces_summary(counts: Mapping[int, int]) -> dict:
    """CES of 1–7 answers: the mean, the share of "easy" answers in percent and n."""
    n = sum(counts.values())
    easy = sum(c for score, c in counts.items() if ces_easy(score))
    return {"mean": mean_of(counts), "easy_share": share(easy, n), "n": n}


@dataclass(frozen=True)
class ChiSquare:
    statistic: float | None
    dof: int
    p_value: float | None
    expected: list[list[float]]
    small_expected_cells: int  # cells with an expected count under SMALL_EXPECTED


def chi_square(table: Sequence[Sequence[int]]) -> ChiSquare:
    """Pearson's chi-square test of independence of a table of counts. Rows or columns that
    are all zero are left out; under two rows or columns there is no test (statistic None)."""
    rows = [list(r) for r in table if sum(r)]
    keep = [j for j in range(len(rows[0]) if rows else 0) if sum(r[j] for r in rows)]
    rows = [[r[j] for j in keep] for r in rows]
    total = sum(map(sum, rows))
    row_sums = [sum(r) for r in rows]
    col_sums = [sum(col) for col in zip(*rows, strict=True)] if rows else []
    expected = [[rs * cs / total for cs in col_sums] for rs in row_sums] if total else []
    small = sum(1 for r in expected for e in r if e < SMALL_EXPECTED)
    dof = (len(row_sums) - 1) * (len(col_sums) - 1)
    if dof < 1:
        return ChiSquare(None, 0, None, expected, small)
    statistic = sum(
        (observed - e) ** 2 / e
        for obs_row, exp_row in zip(rows, expected, strict=True)
        for observed, e in zip(obs_row, exp_row, strict=True)
    )
    return ChiSquare(statistic, dof, float(gammaincc(dof / 2, statistic / 2)), expected, small)
