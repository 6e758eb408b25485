"""A running period compared fairly: its first N days against the previous period's first N
days (the same number of days), for the indicators that grow with the days counted —
NPS, CSAT, CES, share of promoters, repurchase, retention and cross-sell."""

from __future__ import annotations

import datetime as dt

from analytics.evaluations.periods import Period
from analytics.metric_queries.filters import MetricFilters
from analytics.metric_queries.purchase_metrics import purchases_frame
from analytics.metric_queries.survey_metrics import metric_summary
from analytics.metrics import loyalty
from analytics.workspace import words

SAME_DAYS_INDICATORS = (
    "nps", "csat", "ces", "promoter_share", "repurchase_rate", "retention_rate",
    "cross_sell_rate",
)  # fmt: skip


def _first_days(period: Period, days: int) -> tuple[dt.date, dt.date]:
    """The first `days` days of `period` (inclusive local dates), never past its end."""
    return period.start, min(period.start + dt.timedelta(days=days - 1), period.end)


def _survey_values(start: dt.date, end: dt.date) -> dict[str, tuple[float | None, int]]:
    summary = metric_summary(MetricFilters(start=start, end=end))
    share = (100.0 * summary.nps.promoters / summary.nps.n) if summary.nps.n else None
    return {
        "nps": (summary.nps.value, summary.nps.n),
        "csat": (summary.csat.top2_share, summary.csat.n),
        "ces": (summary.ces.mean, summary.ces.n),
        "promoter_share": (share, summary.nps.n),
    }


def _purchase_values(orders, period: Period, end: dt.date) -> dict[str, tuple[float | None, int]]:
    window = (period.start, end + dt.timedelta(days=1))
    before = period.previous()
    active = len(loyalty.active_customers(orders, window=window))
    base = len(loyalty.active_customers(orders, window=before.window()))
    return {
        "repurchase_rate": (loyalty.repurchase_rate(orders, window=window), active),
        "retention_rate": (
            loyalty.retention_rate(orders, previous=before.window(), current=window),
            base,
        ),
        "cross_sell_rate": (loyalty.cross_sell_rate(orders, window=window), active),
    }


def same_days_numbers(period: Period, days: int) -> dict:
    """{"days", "current": [start, end], "previous": [start, end], "values": {code: [value,
    n, previous value, previous n]}}: this period's first `days` days against the previous
    period's first `days` days (numbers only: kept with the snapshot, worded per request)."""
    previous = period.previous()
    current_span = _first_days(period, days)
    previous_span = _first_days(previous, days)
    now = _survey_values(*current_span)
    before = _survey_values(*previous_span)
    orders = purchases_frame(start=previous.previous().start, end=current_span[1],
                             with_category=True)  # fmt: skip
    now.update(_purchase_values(orders, period, current_span[1]))
    before.update(_purchase_values(orders, previous, previous_span[1]))
    return {
        "days": days,
        "current": [d.isoformat() for d in current_span],
        "previous": [d.isoformat() for d in previous_span],
        "values": {code: [*now[code], *before[code]] for code in SAME_DAYS_INDICATORS},
    }


def same_days_words(numbers: dict) -> dict:
    """`same_days_numbers` in words: one row per indicator with value, previous and change."""
    rows = []
    for code in SAME_DAYS_INDICATORS:
        value, n, old, old_n = numbers["values"][code]
        change = None if value is None or old is None else float(value) - float(old)
        rows.append({
            "code": code, "label": words.label(code),
            "value": _rounded(value), "value_text": words.value_text(code, value), "n": n,
            "previous": _rounded(old), "previous_text": words.value_text(code, old),
            "previous_n": old_n,
            "change": _rounded(change), "change_text": words.change_text(code, change),
        })  # fmt: skip
    return {
        "days": numbers["days"],
        "current": {"start": numbers["current"][0], "end": numbers["current"][1]},
        "previous": {"start": numbers["previous"][0], "end": numbers["previous"][1]},
        "rows": rows,
    }


def _rounded(value, digits: int = 2):
    return None if value is None else round(float(value), digits)
