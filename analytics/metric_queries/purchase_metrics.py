"""Purchase metrics: the orders frame, loyalty (repurchase, retention, churn) and RFM reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
from django.db.models import Count, Q, Sum

from analytics.evaluations.periods import Period, local_midnight, local_zone
from analytics.evaluations.segments import segment_label
from analytics.metric_queries.filters import MetricFilters, completed_responses, customers_q
from analytics.metric_queries.survey_metrics import (
    _score_counts,
    _summary_of,
    metric_breakdown,
    metric_summary,
)
from analytics.metrics import loyalty
from analytics.metrics.rfm import SEGMENTS, rfm_segment_summary, rfm_table
from analytics.models import ClvRun, CustomerValue, Purchase
from surveys.models import Customer

# Purchases, loyalty, RFM -----------------------------------------------------------------


def purchases_frame(
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    customer_ids: Iterable[int] | None = None,
    with_category: bool = False,
) -> pd.DataFrame:
    """Purchases (refunds included, as negative amounts) between local days, inclusive, as a
    narrow frame: customer_id, order_id, ordered_at (naive local time), amount[, category]."""
    qs = Purchase.objects.order_by()
    if start:
        qs = qs.filter(ordered_at__gte=local_midnight(start))
    if end:
        qs = qs.filter(ordered_at__lt=local_midnight(end + dt.timedelta(days=1)))
    if customer_ids is not None:
        qs = qs.filter(customer_id__in=list(customer_ids))
    columns = ["customer_id", "order_id", "ordered_at", "amount"]
    if with_category:
        columns.append("category")
    frame = pd.DataFrame.from_records(list(qs.values_list(*columns)), columns=columns)
    if with_category:
        frame = frame.rename(columns={"category": loyalty.CATEGORY})
    frame["amount"] = frame["amount"].astype("float64")
    moments = pd.to_datetime(frame["ordered_at"], utc=True)
    frame["ordered_at"] = moments.dt.tz_convert(local_zone()).dt.tz_localize(None)
    return frame


@dataclass(frozen=True)
class LoyaltySummary:
    repurchase_rate: float | None
    retention_rate: float | None
    churn_rate: float | None
    cross_sell_rate: float | None
    promoter_share: float | None
    active_customers: int
    mean_interval_days: float | None


def loyalty_summary(*, period: Period, filters: MetricFilters = MetricFilters()) -> LoyaltySummary:
    """Repurchase, retention/churn from the previous period, cross-sell and promoter share."""
    previous = period.previous()
    orders = purchases_frame(start=previous.start, end=period.end, with_category=True)
    window = period.window()
    intervals = loyalty.inter_purchase_interval_days(orders, window=window)
    retention = loyalty.retention_rate(orders, previous=previous.window(), current=window)
    survey = metric_summary(filters.for_period(period)).nps
    return LoyaltySummary(
        repurchase_rate=loyalty.repurchase_rate(orders, window=window),
        retention_rate=retention,
        churn_rate=None if retention is None else 100.0 - retention,
        cross_sell_rate=loyalty.cross_sell_rate(orders, window=window),
        promoter_share=(
            loyalty.promoter_share(promoters=survey.promoters, responses=survey.n)
            if survey.n
            else None
        ),
        active_customers=len(loyalty.active_customers(orders, window=window)),
        mean_interval_days=float(intervals.mean()) if len(intervals) else None,
    )


def rfm_as_of(as_of: dt.date) -> pd.DataFrame:
    """The RFM table (analytics.metrics.rfm) over all purchases up to `as_of`, inclusive."""
    return rfm_table(purchases_frame(end=as_of), as_of=as_of)


def _nps_by_customer(customer_filter: Q | None = None, filters: MetricFilters = MetricFilters()):
    counts = {k: v for k, v in _score_counts().items() if not k.startswith("ces")}
    qs = completed_responses(filters).filter(customer__isnull=False)
    if customer_filter is not None:
        qs = qs.filter(customer_filter)
    rows = qs.values("customer_id").annotate(**counts).order_by()
    return pd.DataFrame.from_records(
        list(rows), columns=["customer_id", *counts], index="customer_id"
    )


def rfm_report(*, as_of: dt.date, filters: MetricFilters = MetricFilters()) -> list[dict]:
    """Per RFM segment: customers, revenue share and the NPS / CSAT of its customers.

    Read from the CLV run made as of that day when there is one (SQL over CustomerValue);
    otherwise computed live from the purchases (pandas over a narrow read).
    """
    run = ClvRun.objects.filter(as_of=as_of).order_by("-id").first()
    if run is not None:
        return _rfm_report_from_run(run, filters)
    table = rfm_as_of(as_of)
    population = customers_q(filters, field="pk")
    if population and len(table):
        # The customer filters narrow the segments' customers and revenue too.
        kept = Customer.objects.filter(population).values_list("pk", flat=True)
        table = table[table.index.isin(list(kept))]
    summary = rfm_segment_summary(table) if len(table) else None
    per_customer = _nps_by_customer(filters=filters)
    joined = per_customer.join(table["segment_code"], how="inner") if len(table) else None
    by_segment = joined.groupby("segment_code").sum() if joined is not None else None
    rows = []
    for segment in SEGMENTS:
        counts = (
            by_segment.loc[segment.code]
            if by_segment is not None and segment.code in by_segment.index
            else None
        )
        row = {"code": segment.code, "name": segment_label(segment.code)}
        if summary is not None:
            row |= {
                "customers": int(summary.loc[segment.code, "customers"]),
                "customer_share": float(summary.loc[segment.code, "customer_share"]),
                "revenue": float(summary.loc[segment.code, "revenue"]),
                "revenue_share": float(summary.loc[segment.code, "revenue_share"]),
            }
        else:
            row |= {"customers": 0, "customer_share": 0.0, "revenue": 0.0, "revenue_share": 0.0}
        counts = {} if counts is None else {k: int(v) for k, v in counts.items()}
        summary_row = _summary_of({name: counts.get(name, 0) for name in _score_counts()})
        row["nps"], row["csat"] = summary_row.nps, summary_row.csat
        rows.append(row)
    return rows


def _rfm_report_from_run(run: ClvRun, filters: MetricFilters) -> list[dict]:
    totals = {
        row["rfm_segment"]: row
        for row in CustomerValue.objects.filter(run=run)
        .filter(customers_q(filters, run=run))
        .values("rfm_segment")
        .annotate(customers=Count("pk"), revenue=Sum("spend"))
        .order_by()
    }
    customers = sum(row["customers"] for row in totals.values())
    revenue = float(sum(row["revenue"] or 0 for row in totals.values()))
    satisfaction = metric_breakdown(
        by="segment", filters=filters, clv_run=run, metrics=("nps", "csat")
    )
    empty = _summary_of({name: 0 for name in _score_counts()})
    rows = []
    for segment in SEGMENTS:
        total = totals.get(segment.code, {"customers": 0, "revenue": 0})
        seg_revenue = float(total["revenue"] or 0)
        summary = satisfaction.get(segment.code, empty)
        rows.append(
            {
                "code": segment.code,
                "name": segment_label(segment.code),
                "customers": total["customers"],
                "customer_share": 100.0 * total["customers"] / customers if customers else 0.0,
                "revenue": seg_revenue,
                "revenue_share": 100.0 * seg_revenue / revenue if revenue > 0 else 0.0,
                "nps": summary.nps,
                "csat": summary.csat,
            }
        )
    return rows
