"""Spreadsheet formula injection guard for every CSV and Excel file the product writes."""

from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formula injection: text starting with = + - @ (or a tab/CR)
    gets a leading apostrophe so Excel and WPS show it as text. Numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
