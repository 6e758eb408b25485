"""Spreadsheet formula injection guard for every CSV and Excel file the product writes."""

from typing import Any

# What makes Excel, WPS or LibreOffice read a cell as a formula: = + - @, also in their
# full-width forms (a Chinese input method types ＝ ＋ － ＠, and spreadsheet apps fold them to
# ASCII), and their small forms (﹦ ﹢ ﹣ ﹫), however much whitespace comes first (apps trim
# it); a cell starting with a tab or carriage return is treated the same.
FORMULA_STARTS = ("=", "+", "-", "@", "＝", "＋", "－", "＠", "﹦", "﹢", "﹣", "﹫")
CONTROL_STARTS = ("\t", "\r")
# Kept for callers that imported it: the ASCII starts and the control characters.
FORMULA_PREFIXES = ("=", "+", "-", "@", *CONTROL_STARTS)


def is_formula_like(value: str) -> bool:
    """True when a spreadsheet could take this text for a formula."""
    return value.startswith(CONTROL_STARTS) or value.lstrip().startswith(FORMULA_STARTS)


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formula injection: text that starts with = + - @ (ASCII,
    full-width or small form, after any leading whitespace) or with a tab/CR gets a leading
    apostrophe so Excel and WPS show it as text. Numbers pass unchanged."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value
