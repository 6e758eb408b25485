"""Read models of the manager dashboard: tiles, NPS distribution, sentiment, topics, the
satisfaction × value matrix and service figures, each one or two grouped SQL queries over the
same filters as the metric endpoints (`MetricFilters`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import Avg, Count, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import get_language

from analytics.evaluations.periods import (
    Period,
    local_midnight,
    local_today,
    local_zone,
    period_containing,
)
from analytics.evaluations.scorecard import scorecard_compute, scorecard_json
from analytics.evaluations.segments import segment_choices
from analytics.metric_queries.drivers import topic_drivers
from analytics.metric_queries.filters import (
    MetricFilters,
    completed_responses,
    feedback_under,
    latest_clv_run,
    through_response,
)
from analytics.metric_queries.survey_metrics import INTERVALS
from analytics.models import CustomerValue, Purchase
from analytics.models.evaluations import INDICATOR_CHOICES, EvaluationSnapshot
from analytics.workspace import words
from feedback.analysis.queries import aspect_choices
from feedback.cases.queries import overdue_q, resolved_in_time_q
from feedback.models.cases import OPEN_CASE_STATUSES
from feedback.models.cases import Case as TriageCase
from surveyhub.formatting import format_money
from surveys.models import Customer, Response, Store, Survey
from surveys.models.responses import Channel
from surveys.scoring.expressions import nps_group_q
from surveys.scoring.rules import NPS_GROUPS, NPS_SCALE, NpsGroup, nps_group

TILE_INDICATORS = (
    "nps", "csat", "ces", "retention_rate", "repurchase_rate", "clv", "first_response_time",
    "resolution_rate",
)  # fmt: skip
SMALL_SAMPLE = 30
VALUE_TIERS = ("high", "medium", "low")


def _r(value, digits: int = 2):
    return None if value is None else round(float(value), digits)


# Tiles -----------------------------------------------------------------------------------


def current_period(today: dt.date | None = None) -> Period:
    return period_containing(today or local_today(), kind="quarter")


def dashboard_tiles(*, period: Period | None = None) -> dict[str, Any]:
    """The scorecard indicators of the current quarter: from its latest snapshot, or computed
    live when none was stored yet (the nightly job has not run)."""
    period = period or current_period()
    snapshot = (
        EvaluationSnapshot.objects.filter(period=period.code)
        .order_by("-version")
        .only("result", "computed_at", "version")
        .first()
    )
    if snapshot is not None:
        result, source = snapshot.result, "snapshot"
        computed_at = snapshot.computed_at.isoformat()
    else:
        result, source = scorecard_json(scorecard_compute(period)), "live"
        computed_at = timezone.now().isoformat()
    labels = dict(INDICATOR_CHOICES)
    by_code = {row["code"]: row for row in result.get("indicators", [])}
    tiles = []
    for code in TILE_INDICATORS:
        row = by_code.get(code, {})
        tiles.append(
            {
                "code": code,
                "label": str(labels[code]),
                "value": row.get("value"),
                "target": row.get("target"),
                "previous": row.get("previous"),
                "change": row.get("change"),
                "direction": row.get("direction"),
                "status": row.get("status") or "no_data",
                # Rounded with unit and currency, in the reader's language.
                "value_text": words.value_text(code, row.get("value")),
                "target_text": words.value_text(code, row.get("target")),
                "change_text": words.change_text(code, row.get("change")),
            }
        )
    return {
        "period": period.code,
        "source": source,
        "computed_at": computed_at,
        "index": result.get("index"),
        "tiles": tiles,
    }


# Survey answers --------------------------------------------------------------------------


def nps_distribution(filters: MetricFilters) -> dict[str, Any]:
    """How many answers gave each score 0–10 (one aggregate query)."""
    every = range(NPS_SCALE[0], NPS_SCALE[1] + 1)
    counts = completed_responses(filters).aggregate(
        **{f"s{s}": Count("pk", filter=Q(nps_score=s)) for s in every}
    )
    scores = [
        {"score": s, "count": counts[f"s{s}"] or 0, "group": nps_group(s).value} for s in every
    ]
    n = sum(row["count"] for row in scores)
    return {"n": n, "small_sample": n < SMALL_SAMPLE, "scores": scores}


def sentiment_trend(*, filters: MetricFilters, interval: str) -> list[dict[str, Any]]:
    """Positive / neutral / negative feedback items per local day/week/month/quarter."""
    rows = (
        feedback_under(filters)
        .filter(sentiment_label__in=("positive", "neutral", "negative"))
        .annotate(bucket=INTERVALS[interval]("created_at", tzinfo=local_zone()))
        .values("bucket")
        .annotate(
            positive=Count("pk", filter=Q(sentiment_label="positive")),
            neutral=Count("pk", filter=Q(sentiment_label="neutral")),
            negative=Count("pk", filter=Q(sentiment_label="negative")),
            mean_score=Avg("sentiment_score"),
        )
        .order_by()
    )
    points = []
    for row in rows:
        bucket = row["bucket"]
        if isinstance(bucket, dt.datetime):
            bucket = bucket.astimezone(local_zone()).date()
        n = row["positive"] + row["neutral"] + row["negative"]
        points.append(
            {
                "start": bucket.isoformat(),
                "positive": row["positive"],
                "neutral": row["neutral"],
                "negative": row["negative"],
                "n": n,
                "mean_score": _r(row["mean_score"], 4),
                "small_sample": n < SMALL_SAMPLE,
            }
        )
    return sorted(points, key=lambda p: p["start"])


def dashboard_topics(*, filters: MetricFilters, limit: int = 10) -> list[dict[str, Any]]:
    """Topics and aspects that pull NPS down most, with their mentions and sentiment."""
    drivers = topic_drivers(filters=filters, limit=limit)
    aspect_names = dict(aspect_choices(get_language() or "zh-hans"))
    rows = []
    for d in drivers:
        rows.append(
            {
                "kind": d.kind,
                "key": d.key,
                "name": aspect_names.get(d.key, d.name) if d.kind == "aspect" else d.name,
                "mentions": d.mentions,
                "mention_share": _r(d.mention_share),
                "nps_with": _r(d.nps_with),
                "nps_without": _r(d.nps_without),
                "impact": _r(d.impact),
                "sentiment": _r(d.sentiment, 4),
                "negative": d.negative,
                "small_sample": d.mentions < SMALL_SAMPLE,
            }
        )
    return rows


# Satisfaction × value --------------------------------------------------------------------


def satisfaction_value_matrix(*, filters: MetricFilters, limit: int = 10) -> dict[str, Any]:
    """Customers of the latest CLV run per value tier × NPS group of their latest answer under
    the filters, and the high-value detractors (highest CLV first) with their open case."""
    run = latest_clv_run()
    if run is None:
        return {"run": None, "cells": [], "high_value_detractors": []}
    latest_score = Subquery(
        completed_responses(filters)
        .filter(customer_id=OuterRef("customer_id"), nps_score__isnull=False)
        .order_by("-completed_at", "-pk")
        .values("nps_score")[:1]
    )
    values = CustomerValue.objects.filter(run=run).annotate(score=latest_score)
    counts = _matrix_counts(run=run, filters=filters, values=values)
    cells = [
        {"tier": tier, "group": g.value, "customers": counts.get((tier, g.value), 0)}
        for tier in VALUE_TIERS
        for g in NPS_GROUPS
    ]
    open_case = Subquery(
        TriageCase.objects.filter(
            customer_id=OuterRef("customer_id"), status__in=OPEN_CASE_STATUSES
        )
        .order_by("due_at", "pk")
        .values("pk")[:1]
    )
    detractors = (
        values.filter(nps_group_q("score", NpsGroup.DETRACTOR), value_tier="high")
        .annotate(open_case=open_case)
        .order_by("-clv", "customer_id")
        .values(
            "customer_id", "customer__name", "customer__external_id", "clv", "rfm_segment",
            "score", "open_case",
        )[:limit]
    )  # fmt: skip
    return {
        "run": {"id": run.pk, "as_of": run.as_of.isoformat()},
        "cells": cells,
        "high_value_detractors": [
            {
                "customer": row["customer_id"],
                "name": row["customer__name"],
                "external_id": row["customer__external_id"],
                "clv": str(row["clv"]),
                "clv_text": format_money(row["clv"], decimals=0),
                "segment": row["rfm_segment"],
                "nps_score": row["score"],
                "open_case": row["open_case"],
            }
            for row in detractors
        ],
    }


def _matrix_counts(*, run, filters: MetricFilters, values) -> dict[tuple[str, str], int]:
    """(value tier, NPS group) → customers, counted per (tier, score) in SQL (at most 33 rows)
    and grouped by `nps_group`. On PostgreSQL one DISTINCT ON pass over the answers picks
    each customer's latest (half the time of a subquery per customer)."""
    if connection.vendor != "postgresql":
        rows = (
            values.filter(score__isnull=False)
            .values_list("value_tier", "score")
            .annotate(customers=Count("pk"))
            .order_by()
        )
    else:
        latest = (
            completed_responses(filters)
            .filter(customer__isnull=False, nps_score__isnull=False)
            .order_by("customer_id", "-completed_at", "-pk")
            .distinct("customer_id")
            .values("customer_id", "nps_score")
        )
        sql, params = latest.query.sql_with_params()
        table = CustomerValue._meta.db_table
        # The ORM's own SQL and a table name go in; every value is a parameter.
        join = "ON cv.customer_id = l.customer_id AND cv.run_id = %s GROUP BY 1, 2"
        query = f"SELECT cv.value_tier, l.nps_score, count(*) FROM ({sql}) l JOIN {table} cv {join}"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(query, [*params, run.pk])
            rows = cursor.fetchall()
    counts: dict[tuple[str, str], int] = {}
    for tier, score, customers in rows:
        key = (tier, nps_group(score).value)
        counts[key] = counts.get(key, 0) + customers
    return counts


def _distinct(model, field: str, limit: int = 200) -> list[str]:
    return list(
        model.objects.exclude(**{field: ""})
        .order_by(field)
        .values_list(field, flat=True)
        .distinct()[:limit]
    )


def _channel_label(code: str) -> str:
    return str(Channel(code).label) if code in Channel.values else code


def filter_choices() -> dict[str, list]:
    """The values each filter of the page offers (a few DISTINCT queries)."""
    return {
        "surveys": list(Survey.objects.order_by("title").values_list("pk", "title")[:200]),
        "channels": [(c, _channel_label(c)) for c in _distinct(Response, "channel")],
        # Only the managed list: a `?store=` typed on a public link is never offered here.
        "stores": [
            (s.code, s.label(get_language() or "zh-hans"))
            for s in Store.objects.filter(is_active=True)[:200]
        ],
        "regions": _distinct(Customer, "region"),
        "categories": _distinct(Purchase, "category"),
        "segments": segment_choices(),
    }


def has_purchases() -> bool:
    return Purchase.objects.exists()


# Service ---------------------------------------------------------------------------------


def _cases_for(filters: MetricFilters):
    return TriageCase.objects.filter(through_response(filters))


def service_summary(
    *, filters: MetricFilters, interval: str, now: dt.datetime | None = None
) -> dict[str, Any]:
    """Backlog and overdue cases now; opened, resolved and SLA compliance (resolved before
    due ÷ resolved) per local interval, by the day a case was opened / resolved."""
    now = now or timezone.now()
    cases = _cases_for(filters)
    queue = cases.aggregate(
        backlog=Count("pk", filter=Q(status__in=OPEN_CASE_STATUSES)),
        overdue=Count("pk", filter=overdue_q(now)),
    )
    window = Q()
    resolved_window = Q(resolved_at__isnull=False)
    if filters.start:
        window &= Q(created_at__gte=local_midnight(filters.start))
        resolved_window &= Q(resolved_at__gte=local_midnight(filters.start))
    if filters.end:
        end = local_midnight(filters.end + dt.timedelta(days=1))
        window &= Q(created_at__lt=end)
        resolved_window &= Q(resolved_at__lt=end)
    trunc = INTERVALS[interval]
    opened = (
        cases.filter(window)
        .annotate(bucket=trunc("created_at", tzinfo=local_zone()))
        .values("bucket")
        .annotate(opened=Count("pk"))
        .order_by()
    )
    resolved = (
        cases.filter(resolved_window)
        .annotate(bucket=trunc("resolved_at", tzinfo=local_zone()))
        .values("bucket")
        .annotate(
            resolved=Count("pk"),
            on_time=Count("pk", filter=resolved_in_time_q()),
        )
        .order_by()
    )
    points: dict[dt.date, dict[str, Any]] = {}
    for row in opened:
        points.setdefault(_day(row["bucket"]), {}).update(opened=row["opened"])
    for row in resolved:
        points.setdefault(_day(row["bucket"]), {}).update(
            resolved=row["resolved"], on_time=row["on_time"]
        )
    over_time = []
    for day in sorted(points):
        p = points[day]
        resolved_n = p.get("resolved", 0)
        over_time.append(
            {
                "start": day.isoformat(),
                "opened": p.get("opened", 0),
                "resolved": resolved_n,
                "sla_compliance": _r(100.0 * p["on_time"] / resolved_n) if resolved_n else None,
                "small_sample": resolved_n < SMALL_SAMPLE,
            }
        )
    return {"backlog": queue["backlog"], "overdue": queue["overdue"], "over_time": over_time}


def _day(bucket) -> dt.date:
    if isinstance(bucket, dt.datetime):
        return bucket.astimezone(local_zone()).date()
    return bucket
