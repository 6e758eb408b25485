"""The relationship-maintenance scorecard of a period — the only writer of evaluation snapshots
(a new version whenever the figures differ from the last one; never an overwrite)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict
from typing import Any

from django.db import transaction
from django.db.models import Avg, Max
from django.utils import timezone

from analytics.evaluations.periods import (
    Period,
    local_today,
    period_containing,
    period_parse,
)
from analytics.metric_queries.filters import MetricFilters
from analytics.metric_queries.purchase_metrics import loyalty_summary
from analytics.metric_queries.survey_metrics import BREAKDOWNS, metric_breakdown, metric_change
from analytics.metrics.scorecard import (
    STANDARD_INDICATORS,
    Dimension,
    IndicatorInput,
    ScorecardResult,
    percent_change,
    scorecard,
)
from analytics.models import (
    ClvRun,
    CustomerValue,
    DimensionWeight,
    EvaluationSnapshot,
    ScorecardTarget,
)
from feedback.cases.queries import service_metrics

logger = logging.getLogger(__name__)

# Targets used until an admin sets one (ScorecardTarget); percentages, CNY, hours, 1–7 mean.
DEFAULT_TARGETS: dict[str, float] = {
    "nps": 30.0,
    "csat": 80.0,
    "repurchase_rate": 30.0,
    "retention_rate": 40.0,
    "promoter_share": 50.0,
    "clv": 500.0,
    "clv_change": 5.0,
    "cross_sell_rate": 20.0,
    "first_response_time": 24.0,
    "resolution_rate": 90.0,
    "ces": 5.5,
}


# The scorecard ---------------------------------------------------------------------------


def service_indicators(period: Period) -> dict[str, float | None]:
    """First-response time (median hours) and resolution rate (%) of the period's triage
    cases, from feedback's service metrics (one definition, shared with the service pages)."""
    zone = timezone.get_default_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(period.end_exclusive, dt.time.min, tzinfo=zone)
    figures = service_metrics(start=start, end=end, interval_days=(end - start).days)
    rate = figures["resolution_rate"]
    return {
        "first_response_time": figures["first_response_hours"]["median"],
        "resolution_rate": None if rate is None else round(rate * 100, 2),
    }


def clv_run_for(period: Period) -> ClvRun | None:
    """The latest CLV run dated inside the period (the nightly fit, or one at its end)."""
    return (
        ClvRun.objects.filter(as_of__gte=period.start, as_of__lte=period.end)
        .order_by("-as_of", "-id")
        .first()
    )


def _mean_clv(run: ClvRun | None) -> float | None:
    if run is None:
        return None
    mean = CustomerValue.objects.filter(run=run).aggregate(mean=Avg("clv"))["mean"]
    return None if mean is None else float(mean)


def indicator_values(period: Period) -> dict[str, float | None]:
    """This period's value of every standard indicator (None when there is no data)."""
    filters = MetricFilters(start=period.start, end=period.end)
    change = metric_change(period=period, filters=MetricFilters())
    current = change.current
    loyalty = loyalty_summary(period=period, filters=filters)
    clv = _mean_clv(clv_run_for(period))
    previous_clv = _mean_clv(clv_run_for(period.previous()))
    return {
        "nps": current.nps.value,
        "csat": current.csat.top2_share,
        "repurchase_rate": loyalty.repurchase_rate,
        "retention_rate": loyalty.retention_rate,
        "promoter_share": loyalty.promoter_share,
        "clv": clv,
        "clv_change": percent_change(clv, previous_clv),
        "cross_sell_rate": loyalty.cross_sell_rate,
        "ces": current.ces.mean,
        **service_indicators(period),
    }


def scorecard_targets() -> tuple[dict[str, ScorecardTarget | None], dict[Dimension, float]]:
    """The admin's targets (None where the default applies) and dimension weights."""
    targets: dict[str, ScorecardTarget | None] = dict.fromkeys(STANDARD_INDICATORS)
    targets.update({t.code: t for t in ScorecardTarget.objects.all()})
    weights = dict.fromkeys(Dimension, 1.0)
    weights.update({Dimension(w.dimension): w.weight for w in DimensionWeight.objects.all()})
    if sum(weights.values()) <= 0:  # the admin form refuses this; rows written otherwise
        weights = dict.fromkeys(Dimension, 1.0)  # weigh equally rather than fail the night
    return targets, weights


def scorecard_compute(period: Period) -> ScorecardResult:
    """The scorecard of a period from live data, the admin's targets and weights."""
    current = indicator_values(period)
    previous = indicator_values(period.previous())
    targets, weights = scorecard_targets()
    inputs = []
    for code in STANDARD_INDICATORS:
        target = targets[code]
        inputs.append(
            IndicatorInput(
                code=code,
                value=current[code],
                previous=previous[code],
                target=target.target if target else DEFAULT_TARGETS[code],
                weight=target.weight if target else 1.0,
                tolerance=target.tolerance if target else None,
            )
        )
    return scorecard(inputs, dimension_weights=weights)


def scorecard_json(result: ScorecardResult) -> dict[str, Any]:
    """A snapshot's `result`: every indicator, the dimension indexes and the overall index."""
    return {
        "index": _round(result.index),
        "dimensions": [
            {
                "dimension": d.dimension.value,
                "index": _round(d.index),
                "weight": _round(d.weight),
                "indicators": [i.code for i in d.indicators],
            }
            for d in result.dimensions
        ],
        "indicators": [
            {
                "code": i.code,
                "dimension": i.dimension.value,
                "direction": i.direction.value,
                "value": _round(i.value),
                "target": _round(i.target),
                "previous": _round(i.previous),
                "change": _round(i.change),
                "status": i.status.value,
                "score": _round(i.score),
                "weight": _round(i.weight),
            }
            for d in result.dimensions
            for i in d.indicators
        ],
    }


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(float(value), digits)


def summary_json(summary) -> dict[str, Any]:
    """NPS / CSAT / CES of a MetricSummary as JSON-ready numbers (the API's shape)."""
    return {
        "nps": {
            "value": _round(summary.nps.value), "n": summary.nps.n,
            "ci_low": _round(summary.nps.ci_low), "ci_high": _round(summary.nps.ci_high),
            "promoters": summary.nps.promoters, "passives": summary.nps.passives,
            "detractors": summary.nps.detractors,
        },
        "csat": {
            "value": _round(summary.csat.top2_share), "mean": _round(summary.csat.mean),
            "n": summary.csat.n,
        },
        "ces": {
            "mean": _round(summary.ces.mean), "easy_share": _round(summary.ces.easy_share),
            "n": summary.ces.n,
        },
    }  # fmt: skip


def segments_json(period: Period, run: ClvRun | None) -> dict[str, list[dict]]:
    """NPS / CSAT / CES of the period per channel, region and — with the period's CLV run —
    RFM segment and value tier (so a later run never changes an old period's breakdown)."""
    filters = MetricFilters(start=period.start, end=period.end)
    breakdowns = {}
    for by in ("segment", "value_tier", "channel", "region"):
        assert by in BREAKDOWNS
        if by in ("segment", "value_tier") and run is None:
            breakdowns[by] = []
            continue
        groups = metric_breakdown(by=by, filters=filters, clv_run=run)
        breakdowns[by] = [{"key": key, **summary_json(s)} for key, s in groups.items()]
    return breakdowns


def evaluation_compute(*, period: str | Period, force: bool = False) -> EvaluationSnapshot:
    """Compute a period's scorecard and store it as that period's next version.

    When nothing changed since the latest version it is returned as it is (so the nightly
    run is idempotent), unless `force`. Earlier versions are never modified.
    """
    if isinstance(period, str):
        period = period_parse(period)
    result = scorecard_compute(period)
    data = scorecard_json(result)
    tests = metric_change(period=period)
    data["change_tests"] = {
        name: {k: _round(v) if isinstance(v, float) else v for k, v in asdict(test).items()}
        for name, test in (("nps", tests.nps_test), ("csat", tests.csat_test))
    }
    run = clv_run_for(period)
    segments = segments_json(period, run)
    with transaction.atomic():
        latest = (
            EvaluationSnapshot.objects.select_for_update()
            .filter(period=period.code)
            .order_by("-version")
            .first()
        )
        if latest and not force and latest.result == data and latest.segments == segments:
            return latest
        version = (
            EvaluationSnapshot.objects.filter(period=period.code).aggregate(v=Max("version"))["v"]
            or 0
        ) + 1
        snapshot = EvaluationSnapshot(
            period=period.code, period_start=period.start, period_end=period.end,
            version=version, overall_index=data["index"], result=data, segments=segments,
            clv_run=run,
        )  # fmt: skip
        snapshot.full_clean()
        snapshot.save()
    logger.info("evaluation %s v%s: index %s", period.code, version, data["index"])
    return snapshot


def evaluation_compute_current(*, today: dt.date | None = None) -> list[EvaluationSnapshot]:
    """The nightly snapshots: this quarter, the previous quarter (late imports) and this month.
    Unchanged figures keep their version, so running it twice adds nothing."""
    today = today or local_today()
    quarter = period_containing(today)
    periods = [quarter, quarter.previous(), period_containing(today, kind="month")]
    return [evaluation_compute(period=period) for period in periods]
