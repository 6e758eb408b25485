"""Numbers as people read them: money, shares, NPS points, days and counts, rounded, grouped
and with their unit, in the active language (one place for every page, chart label, email
and export).

Decisions (README "Numbers people read"):
- Money is in `settings.DEFAULT_CURRENCY` unless a currency is given. Renminbi is "¥1,234.50"
  in Chinese and "CN¥1,234.50" in English (CLDR's English symbol: a bare "¥" reads as yen to
  an English reader). Other currencies use their usual symbol ("US$", "€", "HK$") or the
  ISO code after the number ("1,234.50 SGD").
- Grouping is the comma every three digits and the decimal point, in both languages.
- A negative number has a true minus sign ("−¥50.00", "−12.5"); a value that rounds to zero
  never shows as "−0.0".
- No value (None, NaN) is "—", never "0" or "None".
- A share is 0–1 and shown as a percentage ("25.3%"); NPS points are the bare number (NPS is
  an index from −100 to 100, read as "NPS 32.5").
"""

from __future__ import annotations

import math
from decimal import Decimal

from django.conf import settings
from django.utils.translation import ngettext, pgettext

MISSING = "—"
MINUS = "\u2212"

# ISO code → symbol placed before the amount (the same in both languages).
_SYMBOLS = {"USD": "US$", "EUR": "€", "HKD": "HK$", "GBP": "£", "JPY": "JP¥", "TWD": "NT$"}

Number = int | float | Decimal | None


def _finite(value: Number | str) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def format_number(value: Number, *, decimals: int = 0) -> str:
    """A rounded number with grouping and a true minus sign; "—" without a value."""
    number = _finite(value)
    if number is None:
        return MISSING
    rounded = round(number, decimals)
    if rounded == 0:
        rounded = 0.0  # never "−0.0"
    text = f"{abs(rounded):,.{decimals}f}"
    return f"{MINUS}{text}" if rounded < 0 else text


def format_money(value: Number, *, decimals: int = 2, currency: str | None = None) -> str:
    """¥1,234.50 (zh) / CN¥1,234.50 (en); −¥50.00 for a refund; "—" without a value."""
    number = _finite(value)
    if number is None:
        return MISSING
    amount = format_number(abs(number), decimals=decimals)
    sign = MINUS if round(number, decimals) < 0 else ""
    code = (currency or getattr(settings, "DEFAULT_CURRENCY", "CNY") or "CNY").upper()
    if code in ("CNY", "RMB"):
        # Translators: the Renminbi before an amount; Chinese writes "¥%(amount)s".
        return sign + pgettext("money", "CN¥%(amount)s") % {"amount": amount}
    if code in _SYMBOLS:
        return f"{sign}{_SYMBOLS[code]}{amount}"
    return f"{sign}{amount} {code}"


def format_percent(share: Number, *, decimals: int = 1) -> str:
    """A share from 0 to 1 as a percentage: 0.2534 → "25.3%"."""
    number = _finite(share)
    if number is None:
        return MISSING
    return f"{format_number(number * 100, decimals=decimals)}%"


def format_points(value: Number, *, decimals: int = 1) -> str:
    """NPS (or another index) points, the bare rounded number: 32.46 → "32.5", −8 → "−8.0"."""
    return format_number(value, decimals=decimals)


def format_days(value: Number) -> str:
    """Whole days with their unit: "12 天" / "12 days", "1 day"; under a day "不到 1 天"."""
    number = _finite(value)
    if number is None:
        return MISSING
    if 0 < abs(number) < 0.5:
        return pgettext("duration", "under 1 day")
    days = round(number)
    return ngettext("%(n)s day", "%(n)s days", abs(days)) % {
        "n": format_number(days),
    }


# The units format_count knows (Chinese uses a measure word: 位客户, 单, 份, 个, 家, 行).
COUNT_UNITS = ("customers", "orders", "responses", "cases", "stores", "rows")


def format_count(n: Number, unit: str | None = None) -> str:
    """A whole count with grouping, and optionally its unit: format_count(1234, "customers")
    → "1,234 位客户" / "1,234 customers". `unit` is one of customers, orders, responses, cases,
    stores, rows; any other text is put after the number as given (already translated)."""
    number = _finite(n)
    if number is None:
        return MISSING
    count = round(number)
    text = format_number(count)
    if unit is None:
        return text
    if unit not in COUNT_UNITS:
        return f"{text} {unit}"
    return _count_words(unit, count) % {"n": text}


def _count_words(unit: str, count: int) -> str:
    # Literal calls, so that makemessages finds every form.
    if unit == "customers":
        return ngettext("%(n)s customer", "%(n)s customers", count)
    if unit == "orders":
        return ngettext("%(n)s order", "%(n)s orders", count)
    if unit == "responses":
        return ngettext("%(n)s response", "%(n)s responses", count)
    if unit == "cases":
        return ngettext("%(n)s case", "%(n)s cases", count)
    if unit == "stores":
        return ngettext("%(n)s store", "%(n)s stores", count)
    return ngettext("%(n)s row", "%(n)s rows", count)
