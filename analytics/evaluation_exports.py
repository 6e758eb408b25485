"""Tabular exports of evaluations (CSV, Excel): columns, rows and spreadsheet-safe cells."""

from collections.abc import Iterator
from typing import Any

from analytics.models import ClvRun, CustomerValue

CUSTOMER_VALUE_COLUMNS = [
    "external_id", "frequency", "recency", "T", "monetary", "r_score", "f_score", "m_score",
    "rfm_segment", "p_alive", "expected_orders_1y", "clv",
]  # fmt: skip

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formula injection: text starting with = + - @ (or a tab/CR)
    gets a leading apostrophe so Excel and WPS show it as text. Numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def customer_value_rows(run: ClvRun) -> Iterator[list[Any]]:
    """One row per customer of the run, in CUSTOMER_VALUE_COLUMNS order, streamed."""
    rows = (
        CustomerValue.objects.filter(run=run)
        .order_by("customer_id")
        .values_list(
            "customer__external_id",
            "frequency",
            "recency",
            "T",
            "monetary",
            "r_score",
            "f_score",
            "m_score",
            "rfm_segment",
            "p_alive",
            "expected_orders_1y",
            "clv",
        )
    )
    for row in rows.iterator(chunk_size=5000):
        external_id, frequency, recency, big_t, monetary, r, f, m, seg, alive, orders, clv = row
        yield [
            safe_cell(external_id or ""), frequency, round(recency, 4), round(big_t, 4),
            round(monetary, 2), r, f, m, seg, round(alive, 6), round(orders, 6), clv,
        ]  # fmt: skip
