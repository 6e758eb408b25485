"""NPS / CSAT / CES read in SQL: summary, trend, breakdown and period change.

Aggregated over the scores copied onto each response (one row per group comes back, never
one per response) and handed to the pure `analytics.metrics` functions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, DateField, Func, Q
from django.db.models.functions import TruncDay, TruncMonth, TruncQuarter, TruncWeek

from analytics.evaluations.periods import Period, local_zone
from analytics.metric_queries.filters import MetricFilters, completed_responses, latest_clv_run
from analytics.metrics.ces import CesResult, ces
from analytics.metrics.csat import CsatResult, csat, csat_change_test
from analytics.metrics.nps import NpsResult, nps, nps_change_test
from analytics.metrics.stats import DifferenceTest
from analytics.models import ClvRun
from surveys.scoring.expressions import nps_group_counts
from surveys.scoring.rules import CES_SCALE, CSAT_SCALE

METRICS = ("nps", "csat", "ces")
INTERVALS = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth, "quarter": TruncQuarter}
BREAKDOWNS = ("survey", "channel", "store", "region", "category", "segment", "value_tier")

# Survey metrics --------------------------------------------------------------------------


def _score_counts() -> dict[str, Count]:
    """One COUNT … FILTER per NPS group, per CSAT score 1–5 and per CES score 1–7."""
    counts = nps_group_counts()
    counts |= {f"csat_{s}": Count("pk", filter=Q(csat_score=s)) for s in _scores(CSAT_SCALE)}
    counts |= {f"ces_{s}": Count("pk", filter=Q(ces_score=s)) for s in _scores(CES_SCALE)}
    return counts


def _scores(scale: tuple[int, int]) -> range:
    return range(scale[0], scale[1] + 1)


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
        csat=csat({s: row[f"csat_{s}"] or 0 for s in _scores(CSAT_SCALE)}),
        ces=ces({s: row[f"ces_{s}"] or 0 for s in _scores(CES_SCALE)}),
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
