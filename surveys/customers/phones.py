"""Phone numbers as people write them in China, normalised to E.164 (`+8613800138000`).

Pure Python, no Django: used by the directory, the imports and matching.
Accepted: mobiles with or without +86 / 0086 / 86, landlines with their area code
(`010-12345678`, `0755 1234 5678`), 400/800 service numbers, full-width digits,
spaces, dashes, dots, brackets, and any other country given with `+` or `00`.
"""

import re
import unicodedata

DEFAULT_COUNTRY_CODE = "86"

_SEPARATORS = re.compile(r"[\s\-./()（）\[\]·]+")
_EXTENSION = re.compile(r"(?:转|ext\.?|x|#)\s*\d{1,6}$", re.IGNORECASE)
_CN_MOBILE = re.compile(r"1[3-9]\d{9}")
_CN_LANDLINE = re.compile(r"0[1-9]\d{8,10}")  # 0 + 2–3 digit area code + 7–8 digit number
_CN_SERVICE = re.compile(r"[48]00\d{7}")


class InvalidPhone(ValueError):
    """The text is not a phone number we can normalise."""


def normalize_phone(raw: str, *, default_country_code: str = DEFAULT_COUNTRY_CODE) -> str:
    """Return the E.164 form of `raw`, or raise InvalidPhone."""
    text = str(raw).strip()
    if not text:
        raise InvalidPhone("empty")
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    text = _EXTENSION.sub("", text).strip()
    compact = _SEPARATORS.sub("", text)
    international = compact.startswith("+")
    digits = compact.removeprefix("+")
    if not digits.isdigit():
        raise InvalidPhone(raw)
    if digits.startswith("00"):
        digits, international = digits[2:], True
    if international or (digits.startswith("86") and _is_chinese(digits[2:])):
        if digits.startswith("86"):
            national = digits[2:].removeprefix("0")
            if not _is_chinese(national, trunk_removed=True):
                raise InvalidPhone(raw)
            return f"+86{national}"
        if not 8 <= len(digits) <= 15:
            raise InvalidPhone(raw)
        return f"+{digits}"
    if default_country_code == "86":
        if _CN_MOBILE.fullmatch(digits) or _CN_SERVICE.fullmatch(digits):
            return f"+86{digits}"
        if _CN_LANDLINE.fullmatch(digits):
            return f"+86{digits[1:]}"
        raise InvalidPhone(raw)
    national = digits.removeprefix("0")
    if not 6 <= len(national) <= 14:
        raise InvalidPhone(raw)
    return f"+{default_country_code}{national}"


def _is_chinese(national: str, *, trunk_removed: bool = False) -> bool:
    if trunk_removed:
        return bool(
            _CN_MOBILE.fullmatch(national)
            or _CN_SERVICE.fullmatch(national)
            or _CN_LANDLINE.fullmatch("0" + national)
        )
    return bool(_CN_MOBILE.fullmatch(national))


def phone_or_none(raw: str | None) -> str | None:
    """The normalised phone, or None when `raw` is empty or not a phone number."""
    if not raw:
        return None
    try:
        return normalize_phone(raw)
    except InvalidPhone:
        return None
