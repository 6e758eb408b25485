"""Read side of the evaluations: NPS / CSAT / CES, loyalty, RFM and satisfaction × behaviour.

Survey metrics are aggregated in SQL over the scores copied onto each response (one row per
group comes back, never one per response) and handed to the pure `analytics.metrics`
functions; purchase metrics read a narrow values_list into pandas. Every definition is the
one in PRODUCT.md, implemented once in `analytics.metrics`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pandas as pd
from django.db.models import Avg, Count, DateField, Func, Q, QuerySet, Sum
from django.db.models.functions import TruncDay, TruncMonth, TruncQuarter, TruncWeek
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from analytics.evaluations.periods import Period, local_midnight, local_zone
from analytics.evaluations.segments import segment_label
from analytics.metrics import loyalty
from analytics.metrics.ces import CesResult, ces
from analytics.metrics.csat import CsatResult, csat, csat_change_test
from analytics.metrics.nps import NpsResult, nps, nps_change_test
from analytics.metrics.rfm import SEGMENTS, rfm_segment_summary, rfm_table
from analytics.metrics.stats import DifferenceTest
from analytics.models import ClvRun, CustomerValue, Purchase
from feedback.models import FeedbackAspect, FeedbackItem, FeedbackTopic
from surveys.filters import parse_day, parse_int
from surveys.models import Response, ResponseStatus

METRICS = ("nps", "csat", "ces")
INTERVALS = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth, "quarter": TruncQuarter}
BREAKDOWNS = ("survey", "channel", "store", "region", "category", "segment", "value_tier")


# Filters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MetricFilters:
    """The shared filters of API.md. Dates are inclusive local (Asia/Shanghai) days."""

    start: dt.date | None = None
    end: dt.date | None = None
    survey: int | None = None
    channel: str = ""
    store: str = ""
    region: str = ""
    category: str = ""  # customers who bought in this product category
    segment: str = ""  # RFM segment code in the latest CLV run
    value_tier: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> MetricFilters:
        """Read query parameters; bad values raise a 400 naming the parameter."""
        start, end = parse_day(params, "from"), parse_day(params, "to")
        if start and end and start > end:
            raise ValidationError({"to": [_("The end date is before the start date.")]})
        segment = (params.get("segment") or "").strip()
        if segment and segment not in {s.code for s in SEGMENTS}:
            raise ValidationError(
                {
                    "segment": [
                        _("Unknown segment “%(value)s”; expected one of: %(choices)s.")
                        % {"value": segment, "choices": ", ".join(s.code for s in SEGMENTS)}
                    ]
                }
            )
        tier = (params.get("value_tier") or "").strip()
        if tier and tier not in ("high", "medium", "low"):
            raise ValidationError({"value_tier": [_("Expected high, medium or low.")]})
        return cls(
            start=start,
            end=end,
            survey=parse_int(params, "survey"),
            channel=(params.get("channel") or "").strip(),
            store=(params.get("store") or "").strip(),
            region=(params.get("region") or "").strip(),
            category=(params.get("category") or "").strip(),
            segment=segment,
            value_tier=tier,
        )

    def for_period(self, period: Period) -> MetricFilters:
        return MetricFilters(**{**self.__dict__, "start": period.start, "end": period.end})


def latest_clv_run() -> ClvRun | None:
    return ClvRun.objects.order_by("-as_of", "-id").first()


def completed_responses(filters: MetricFilters = MetricFilters()) -> QuerySet[Response]:
    """Completed responses matching the filters. Dates become a range on completed_at so the
    (status, completed_at) index is used."""
    qs = Response.objects.filter(status=ResponseStatus.COMPLETED)
    if filters.start:
        qs = qs.filter(completed_at__gte=local_midnight(filters.start))
    if filters.end:
        qs = qs.filter(completed_at__lt=local_midnight(filters.end + dt.timedelta(days=1)))
    if filters.survey is not None:
        qs = qs.filter(survey_id=filters.survey)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.store:
        qs = qs.filter(store=filters.store)
    if filters.region:
        qs = qs.filter(customer__region=filters.region)
    if filters.category:
        buyers = Purchase.objects.filter(category=filters.category, is_refund=False)
        qs = qs.filter(customer_id__in=buyers.values("customer_id"))
    if filters.segment or filters.value_tier:
        values = CustomerValue.objects.filter(run=latest_clv_run())
        if filters.segment:
            values = values.filter(rfm_segment=filters.segment)
        if filters.value_tier:
            values = values.filter(value_tier=filters.value_tier)
        qs = qs.filter(customer_id__in=values.values("customer_id"))
    return qs


# Survey metrics --------------------------------------------------------------------------


def _score_counts() -> dict[str, Count]:
    """One COUNT … FILTER per NPS group, per CSAT score 1–5 and per CES score 1–7."""
    counts = {
        "promoters": Count("pk", filter=Q(nps_score__gte=9)),
        "passives": Count("pk", filter=Q(nps_score__in=(7, 8))),
        "detractors": Count("pk", filter=Q(nps_score__lte=6)),
    }
    counts |= {f"csat_{s}": Count("pk", filter=Q(csat_score=s)) for s in range(1, 6)}
    counts |= {f"ces_{s}": Count("pk", filter=Q(ces_score=s)) for s in range(1, 8)}
    return counts


@dataclass(frozen=True)
class MetricSummary:
    nps: NpsResult
    csat: CsatResult
    ces: CesResult


def _summary_of(row: Mapping[str, Any]) -> MetricSummary:
    return MetricSummary(
        nps=nps(
            promoters=row["promoters"] or 0,
            passives=row["passives"] or 0,
            detractors=row["detractors"] or 0,
        ),
        csat=csat({s: row[f"csat_{s}"] or 0 for s in range(1, 6)}),
        ces=ces({s: row[f"ces_{s}"] or 0 for s in range(1, 8)}),
    )


def metric_summary(filters: MetricFilters = MetricFilters()) -> MetricSummary:
    """NPS, CSAT and CES for the filters, in one aggregate query."""
    return _summary_of(completed_responses(filters).aggregate(**_score_counts()))


def metric_value(summary: MetricSummary, metric: str) -> tuple[float | None, int, Any, Any]:
    """(value, n, ci_low, ci_high) of one metric: NPS, CSAT top-2 share, CES mean."""
    if metric == "nps":
        r = summary.nps
        return r.value, r.n, r.ci_low, r.ci_high
    if metric == "csat":
        return summary.csat.top2_share, summary.csat.n, None, None
    return summary.ces.mean, summary.ces.n, None, None


@dataclass(frozen=True)
class TrendPoint:
    period: str
    start: dt.date
    value: float | None
    n: int
    ci_low: float | None
    ci_high: float | None


def _bucket_label(start: dt.date, interval: str) -> str:
    if interval == "month":
        return f"{start.year}-{start.month:02d}"
    if interval == "quarter":
        return f"{start.year}Q{(start.month - 1) // 3 + 1}"
    return start.isoformat()  # day, or the Monday a week starts on


def metric_trend(
    *, metric: str, interval: str, filters: MetricFilters = MetricFilters()
) -> list[TrendPoint]:
    """One point per local day/week/month/quarter that has answers, oldest first.

    Counts only the metric's own scores, and sorts the few buckets in Python: with no ORDER BY
    PostgreSQL can hash-aggregate instead of sorting a million rows.
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}")
    counts = {k: v for k, v in _score_counts().items() if _counts_for(k) == metric}
    rows = (
        completed_responses(filters)
        .filter(**{f"{metric}_score__isnull": False})
        .annotate(bucket=_bucket(interval, filters))
        .values("bucket")
        .annotate(**counts)
        .order_by()
    )
    points = []
    for row in rows:
        bucket = row["bucket"]
        if isinstance(bucket, dt.datetime):  # Trunc in the zone; _ShiftedTrunc gives dates
            bucket = bucket.astimezone(local_zone()).date()
        value, n, low, high = metric_value(_summary_of(_complete(row)), metric)
        if n:
            points.append(TrendPoint(_bucket_label(bucket, interval), bucket, value, n, low, high))
    return sorted(points, key=lambda point: point.start)


def _counts_for(name: str) -> str:
    if name.startswith("csat_"):
        return "csat"
    if name.startswith("ces_"):
        return "ces"
    return "nps"


def _complete(row: Mapping[str, Any]) -> dict[str, Any]:
    """A grouped row with the other metrics' counts set to 0 (they were not counted)."""
    return {name: row.get(name, 0) for name in _score_counts()}


class _ShiftedTrunc(Func):
    """date_trunc(kind, moment + fixed offset) on PostgreSQL, whose sessions run in UTC: the
    local bucket without a per-row time-zone lookup (a third of the trend query's time)."""

    output_field = DateField()

    def __init__(self, expression, *, kind: str, offset: dt.timedelta):
        super().__init__(expression)
        self.kind, self.offset = kind, offset

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        seconds = int(self.offset.total_seconds())
        return (
            f"(date_trunc(%s, {sql} + make_interval(secs => %s)))::date",
            [self.kind, *params, seconds],
        )


def _fixed_offset(filters: MetricFilters) -> dt.timedelta | None:
    """The business zone's UTC offset when it is the same all through the queried range
    (Asia/Shanghai since 1992), sampled monthly from the range's start (default 2000)."""
    zone = local_zone()
    day = (filters.start or dt.date(2000, 1, 1)).replace(day=1)
    last = filters.end or (dt.date.today() + dt.timedelta(days=400))
    offsets = set()
    while day <= last:
        offsets.add(dt.datetime.combine(day, dt.time(12), tzinfo=zone).utcoffset())
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return offsets.pop() if len(offsets) == 1 else None


def _bucket(interval: str, filters: MetricFilters):
    from django.db import connection

    offset = _fixed_offset(filters) if connection.vendor == "postgresql" else None
    if offset is None:
        return INTERVALS[interval]("completed_at", tzinfo=local_zone())
    return _ShiftedTrunc("completed_at", kind=interval, offset=offset)


def metric_breakdown(
    *,
    by: str,
    filters: MetricFilters = MetricFilters(),
    clv_run: ClvRun | None = None,
    metrics: Iterable[str] = METRICS,
) -> dict[str, MetricSummary]:
    """NPS / CSAT / CES per survey, channel, store, region, category, RFM segment or value tier
    (one grouped query; a response counts in every category its customer bought in).
    Segments and tiers are those of `clv_run`, by default the latest run. Only `metrics` are
    counted (the others come back empty): each is a few aggregates over every row."""
    if by not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown {by!r}")
    qs = completed_responses(filters)
    wanted = set(metrics)
    counts = {name: agg for name, agg in _score_counts().items() if _counts_for(name) in wanted}
    if by == "category":
        qs = qs.filter(customer__purchases__is_refund=False)
        key = "customer__purchases__category"
        counts = {
            name: Count("pk", filter=agg.filter, distinct=True) for name, agg in counts.items()
        }
    elif by in ("segment", "value_tier"):
        qs = qs.filter(customer__evaluated_values__run=clv_run or latest_clv_run())
        field_name = "rfm_segment" if by == "segment" else "value_tier"
        key = f"customer__evaluated_values__{field_name}"
    else:
        key = {"survey": "survey_id", "region": "customer__region"}.get(by, by)
    rows = qs.values(key).annotate(**counts).order_by(key)
    return {
        str(row[key]) if row[key] is not None else "": _summary_of(_complete(row)) for row in rows
    }


@dataclass(frozen=True)
class MetricChange:
    """This period vs the previous one: both summaries and the tests of NPS and CSAT."""

    current: MetricSummary
    previous: MetricSummary
    nps_test: DifferenceTest
    csat_test: DifferenceTest


def metric_change(*, period: Period, filters: MetricFilters = MetricFilters()) -> MetricChange:
    """Is the change from the previous period real? p-values, and "n < 30" flagged."""
    current = metric_summary(filters.for_period(period))
    previous = metric_summary(filters.for_period(period.previous()))
    return MetricChange(
        current=current,
        previous=previous,
        nps_test=nps_change_test(current=current.nps, previous=previous.nps),
        csat_test=csat_change_test(current=current.csat, previous=previous.csat),
    )


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


# Satisfaction × behaviour ----------------------------------------------------------------


def nps_group_of_customers(*, period: Period, filters: MetricFilters = MetricFilters()) -> dict:
    """customer id → "promoter" / "passive" / "detractor": their latest NPS answer in the period."""
    rows = (
        completed_responses(filters.for_period(period))
        .filter(customer__isnull=False, nps_score__isnull=False)
        .order_by("customer_id", "-completed_at", "-pk")
        .values_list("customer_id", "nps_score")
    )
    latest: dict[int, int] = {}
    for customer_id, score in rows.iterator(chunk_size=5000):
        latest.setdefault(customer_id, score)
    return {
        c: "promoter" if s >= 9 else "passive" if s >= 7 else "detractor" for c, s in latest.items()
    }


def behaviour_by_nps_group(*, period: Period, filters: MetricFilters = MetricFilters()) -> dict:
    """For the customers of each NPS group in `period`: their retention into the next period
    (ordered in both ÷ ordered in this one) and their repurchase rate in the next period."""
    groups = nps_group_of_customers(period=period, filters=filters)
    following = period.next()
    orders = purchases_frame(start=period.start, end=following.end, customer_ids=list(groups))
    result = {}
    for group in ("promoter", "passive", "detractor"):
        members = [c for c, g in groups.items() if g == group]
        mine = orders[orders["customer_id"].isin(members)]
        result[group] = {
            "customers": len(members),
            "retention_rate": loyalty.retention_rate(
                mine, previous=period.window(), current=following.window()
            ),
            "repurchase_rate_next_period": loyalty.repurchase_rate(mine, window=following.window()),
        }
    return result


def satisfaction_by_value(*, filters: MetricFilters = MetricFilters()) -> dict[str, dict]:
    """NPS / CSAT per RFM segment and per value tier of the latest CLV run."""
    return {
        "rfm_segment": metric_breakdown(by="segment", filters=filters),
        "value_tier": metric_breakdown(by="value_tier", filters=filters),
    }


def customers_with_open_cases() -> set[int]:
    """Customers with an open triage case (their value is at risk until it is resolved)."""
    from feedback.models.cases import OPEN_CASE_STATUSES, Case

    return set(
        Case.objects.filter(status__in=OPEN_CASE_STATUSES, customer__isnull=False)
        .values_list("customer_id", flat=True)
        .distinct()
    )


@dataclass(frozen=True)
class ValueAtRisk:
    detractors: int
    detractor_revenue: Decimal
    detractor_clv: Decimal
    open_case_customers: int
    open_case_clv: Decimal


def value_at_risk(*, period: Period, filters: MetricFilters = MetricFilters()) -> ValueAtRisk:
    """Revenue in the period and CLV (latest run) of detractors and of customers with open cases."""
    groups = nps_group_of_customers(period=period, filters=filters)
    detractors = [c for c, g in groups.items() if g == "detractor"]
    revenue = Purchase.objects.filter(
        customer_id__in=detractors,
        ordered_at__gte=local_midnight(period.start),
        ordered_at__lt=local_midnight(period.end_exclusive),
    ).aggregate(total=Sum("amount"))["total"]
    run = latest_clv_run()
    values = CustomerValue.objects.filter(run=run)
    clv = values.filter(customer_id__in=detractors).aggregate(total=Sum("clv"))["total"]
    with_cases = customers_with_open_cases()
    case_clv = values.filter(customer_id__in=with_cases).aggregate(total=Sum("clv"))["total"]
    return ValueAtRisk(
        detractors=len(detractors),
        detractor_revenue=revenue or Decimal("0"),
        detractor_clv=clv or Decimal("0"),
        open_case_customers=len(with_cases),
        open_case_clv=case_clv or Decimal("0"),
    )


@dataclass(frozen=True)
class Driver:
    """A topic or aspect: NPS of responses mentioning it vs not, weighted by how often it is
    mentioned. impact = (NPS with − NPS without) × mention share; most negative first."""

    kind: str  # "topic" | "aspect"
    key: str
    name: str
    mentions: int
    mention_share: float
    nps_with: float | None
    nps_without: float | None
    impact: float | None = field(default=None)
    sentiment: float | None = None  # mean sentiment score 0–1 of its feedback items
    negative: int = 0  # its items (topics) or clauses (aspects) labelled negative


def feedback_under(filters: MetricFilters = MetricFilters()) -> QuerySet[FeedbackItem]:
    """Feedback items under the filters: dates on when the item arrived (a survey answer's
    item arrives when its response is completed); the other filters through the item's
    response, so items from other channels count only when dates alone are set."""
    return FeedbackItem.objects.filter(_feedback_q(filters))


def _feedback_q(filters: MetricFilters, prefix: str = "") -> Q:
    """`feedback_under` as a condition on `prefix` (e.g. "item__"), to filter the join itself
    rather than through an IN (subquery) of the items."""
    q = Q()
    if filters.start:
        q &= Q(**{f"{prefix}created_at__gte": local_midnight(filters.start)})
    if filters.end:
        end = local_midnight(filters.end + dt.timedelta(days=1))
        q &= Q(**{f"{prefix}created_at__lt": end})
    return q & through_response(filters, prefix)


def through_response(filters: MetricFilters, prefix: str = "") -> Q:
    """The filters other than the dates, on records attached to a response (feedback items,
    cases): their response must match. An empty condition when only dates are set."""
    rest = MetricFilters(**{**filters.__dict__, "start": None, "end": None})
    if rest == MetricFilters():
        return Q()
    return Q(**{f"{prefix}response__in": completed_responses(rest).values("pk")})


# kind, link model, key, name key (None: the key is the name), sentiment score, sentiment label
_DRIVER_SOURCES = (
    ("topic", FeedbackTopic, "topic_id", "topic__name", "item__sentiment_score",
     "item__sentiment_label"),
    ("aspect", FeedbackAspect, "aspect", None, "score", "label"),
)  # fmt: skip


def topic_drivers(*, filters: MetricFilters = MetricFilters(), limit: int = 20) -> list[Driver]:
    """Rank feedback topics and aspects by their weighted effect on NPS.

    Three queries: the NPS counts of all answers, then per kind one pass over the feedback
    items under the filters, which carry their response's score — so the topics of 100,000
    items never join a million responses. A topic's sentiment counts all its items, NPS ones
    or not; its mentions count distinct responses with an NPS answer."""
    total = completed_responses(filters).filter(nps_score__isnull=False).aggregate(**_nps_counts())
    n = sum(total.values())
    if not n:
        return []
    under = _feedback_q(filters, prefix="item__")
    drivers = []
    for kind, model, key, name_key, score, label in _DRIVER_SOURCES:
        rows = (
            model.objects.filter(under)
            .values(*([key, name_key] if name_key else [key]))
            .annotate(
                **_nps_counts(on="item__response_id", score="item__nps_score", distinct=True),
                sentiment=Avg(score),
                negative=Count("pk", filter=Q(**{label: "negative"})),
            )
            .order_by()
        )
        for row in rows:
            counts = (row["promoters"], row["passives"], row["detractors"])
            mentions = sum(counts)
            if not mentions:  # only items from other channels: no NPS to compare
                continue
            rest = [total[k] - row[k] for k in ("promoters", "passives", "detractors")]
            with_ = nps(promoters=counts[0], passives=counts[1], detractors=counts[2]).value
            without = nps(promoters=rest[0], passives=rest[1], detractors=rest[2]).value
            share = mentions / n
            impact = None if with_ is None or without is None else (with_ - without) * share
            drivers.append(
                Driver(kind, str(row[key]), str(row[name_key] if name_key else row[key]),
                       mentions, 100.0 * share, with_, without, impact, row["sentiment"],
                       row["negative"])
            )  # fmt: skip
    drivers.sort(key=lambda d: (d.impact is None, d.impact if d.impact is not None else 0))
    return drivers[:limit]


def _nps_counts(
    *, on: str = "pk", score: str = "nps_score", distinct: bool = False
) -> dict[str, Count]:
    return {
        "promoters": Count(on, filter=Q(**{f"{score}__gte": 9}), distinct=distinct),
        "passives": Count(on, filter=Q(**{f"{score}__in": (7, 8)}), distinct=distinct),
        "detractors": Count(on, filter=Q(**{f"{score}__lte": 6}), distinct=distinct),
    }
