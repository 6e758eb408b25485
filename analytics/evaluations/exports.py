"""Tabular exports of evaluations (CSV, Excel): the customer-value columns and rows."""

from collections.abc import Iterator
from typing import Any

from analytics.models import ClvRun, CustomerValue
from surveyhub.spreadsheets.formula_guard import safe_cell

CUSTOMER_VALUE_COLUMNS = [
    "external_id", "frequency", "recency", "T", "monetary", "r_score", "f_score", "m_score",
    "rfm_segment", "p_alive", "expected_orders_1y", "clv", "churn_risk",
]  # fmt: skip


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
            "churn_risk",
        )
    )
    for row in rows.iterator(chunk_size=5000):
        (
            external_id,
            frequency,
            recency,
            big_t,
            monetary,
            r,
            f,
            m,
            seg,
            alive,
            orders,
            clv,
            churn,
        ) = row  # churn empty when history was too short for a model (the band says more)
        yield [
            safe_cell(external_id or ""), frequency, round(recency, 4), round(big_t, 4),
            round(monetary, 2), r, f, m, seg, round(alive, 6), round(orders, 6), clv,
            "" if churn is None else round(churn, 6),
        ]  # fmt: skip
