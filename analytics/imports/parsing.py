"""Cell parsers for the dates, amounts and numbers found in real Chinese exports.

No database access: each returns the parsed value or raises CellError with a
translatable message. Fast paths first — most rows of a big file are plain ISO dates and
plain decimals.
"""

import re
import unicodedata
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from surveyhub.api.errors import DomainError


class CellError(DomainError, ValueError):
    """A cell value that breaks a rule; `message` (kept lazy) is shown with the row and
    column."""


MAX_AMOUNT = Decimal("9999999999.99")
_CENT = Decimal("0.01")
_EXCEL_EPOCH = datetime(1899, 12, 30)
_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]*(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2}(?:\.\d+)?))?\s*秒?)?"
)
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_EXCEL_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")
_AMOUNT_NOISE = re.compile(r"(?i)[\s,¥$€£]|rmb|cny|usd|人民币|元|圆")

DATE_MESSAGE = _(
    "Not a date: expected e.g. 2026-01-05, 2026/1/5, 2026年1月5日 or 2026-01-05 14:30."
)
AMOUNT_MESSAGE = _("Not an amount: expected a number such as 1299.00, ¥1,299.00 or 1299元.")


def to_halfwidth(text: str) -> str:
    """Full-width digits and punctuation (１２９９，￥) → ASCII; plain text is returned as is."""
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def parse_datetime(value: object, *, tz: tzinfo) -> datetime:
    """A date or date-time cell → aware datetime (naive values are in `tz`)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=tz)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_excel_serial(float(value), tz)
    text = to_halfwidth(str(value).strip())
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = _parse_loose(text, tz)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def _parse_loose(text: str, tz: tzinfo) -> datetime:
    match = _DATE.fullmatch(text)
    try:
        if match:
            year, month, day, hour, minute, second = match.groups()
            seconds = float(second or 0)
            return datetime(
                int(year),
                int(month),
                int(day),
                int(hour or 0),
                int(minute or 0),
                int(seconds),
            )
        match = _COMPACT_DATE.fullmatch(text)
        if match:
            return datetime(*(int(part) for part in match.groups()))
    except ValueError:
        raise CellError(DATE_MESSAGE) from None
    if _EXCEL_SERIAL.fullmatch(text):
        return _from_excel_serial(float(text), tz)
    raise CellError(DATE_MESSAGE)


def _from_excel_serial(serial: float, tz: tzinfo) -> datetime:
    # 1 = 1900-01-01; anything outside 1950–2150 is more likely a typo than a date.
    if not 18264 <= serial <= 91313:
        raise CellError(DATE_MESSAGE)
    return (_EXCEL_EPOCH + timedelta(days=serial)).replace(microsecond=0, tzinfo=tz)


def parse_amount(value: object) -> Decimal:
    """`¥1,299.00`, `１２９９`, `1299元`, `-50`, `(50.00)` → Decimal with two places."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        amount = Decimal(repr(value))
    else:
        text = str(value).strip()
        try:
            amount = Decimal(text)
        except InvalidOperation:
            amount = _parse_loose_amount(text)
    if not amount.is_finite():
        raise CellError(AMOUNT_MESSAGE)
    amount = amount.quantize(_CENT)
    if abs(amount) > MAX_AMOUNT:
        raise CellError(_("Amount is too large (at most 9,999,999,999.99)."))
    return amount


def _parse_loose_amount(text: str) -> Decimal:
    text = to_halfwidth(text)
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    cleaned = _AMOUNT_NOISE.sub("", text)
    if cleaned.endswith("-"):
        negative, cleaned = True, cleaned[:-1]
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise CellError(AMOUNT_MESSAGE) from None
    return -amount if negative else amount


def parse_quantity(value: object) -> int:
    """A whole, positive or negative number of items."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = to_halfwidth(str(value).strip()).replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(_("Quantity must be a whole number.")) from None
    if not number.is_finite() or number != number.to_integral_value() or abs(number) > 10**9:
        raise CellError(_("Quantity must be a whole number."))
    return int(number)


_TRUE = {"1", "true", "yes", "y", "是", "已退订", "退订", "对", "x"}
_FALSE = {"0", "false", "no", "n", "否", "未退订", ""}


def parse_bool(value: object) -> bool:
    """Yes/no cells in English or Chinese."""
    if isinstance(value, bool):
        return value
    text = to_halfwidth(str(value).strip()).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(_("Expected yes or no (是/否)."))


def cell_text(value: object) -> str:
    """A cell as text: numbers from spreadsheets without a trailing `.0`, whitespace trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()
