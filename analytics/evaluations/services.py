"""Evaluation services — the only writers of CLV runs, customer values, scorecard snapshots and
post-purchase runs.

- `clv_fit`: BG/NBD + Gamma-Gamma on purchases up to a date, RFM and value tiers per customer;
- `evaluation_compute`: the relationship-maintenance scorecard of a period (a new version
  whenever the figures differ from the last one; never an overwrite);
- `post_purchase_invitations_run`: "N days after an order in category X, invite to survey Y",
  through the surveys distribution services so the frequency cap and unsubscribes apply.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import asdict
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import transaction
from django.db.models import Avg, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.clv import (
    TimeUnit,
    bgnbd_conditional_expected_purchases,
    bgnbd_fit,
    bgnbd_probability_alive,
    customer_summary,
    gamma_gamma_conditional_expected_spend,
    gamma_gamma_fit,
)
from analytics.evaluations.periods import (
    Period,
    local_midnight,
    local_today,
    period_containing,
    period_parse,
)
from analytics.metric_queries.filters import MetricFilters
from analytics.metric_queries.purchase_metrics import loyalty_summary, purchases_frame
from analytics.metric_queries.survey_metrics import BREAKDOWNS, metric_breakdown, metric_change
from analytics.metrics.rfm import rfm_table
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
    PostPurchaseRule,
    PostPurchaseRun,
    Purchase,
    ScorecardTarget,
    ValueTier,
)

logger = logging.getLogger(__name__)

DAYS_PER_YEAR = 365.0
HIGH_TIER_SHARE = 0.20  # top 20% of CLV
MEDIUM_TIER_SHARE = 0.30  # the next 30%

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


class EvaluationError(Exception):
    """An evaluation cannot be computed; the message is translated and safe to show."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


# CLV -------------------------------------------------------------------------------------


def clv_fit(
    *,
    as_of: dt.date,
    time_unit: str = "weeks",
    margin: float | None = None,
    horizon_years: float = 1.0,
) -> ClvRun:
    """Fit BG/NBD + Gamma-Gamma on purchases up to `as_of` (inclusive, local days) and store
    the run with every customer's summary, RFM, P(alive), expected orders, CLV and tier.

    CLV = expected purchases over `horizon_years` × expected spend × `margin` (default
    settings.SURVEYHUB_CLV_MARGIN, else 1 = revenue). Without repeat buyers the spend model
    cannot be fitted and each customer's own mean order value is used instead.
    """
    try:
        unit = TimeUnit(time_unit)
    except ValueError:
        raise EvaluationError(_("Expected weeks or days."), field="time_unit") from None
    margin = float(getattr(settings, "SURVEYHUB_CLV_MARGIN", 1.0) if margin is None else margin)
    started = time.monotonic()
    frame = purchases_frame(end=as_of)
    summary = customer_summary(frame, calibration_end=as_of, time_unit=unit)
    if len(summary) < 2:
        raise EvaluationError(
            _("Too few customers with purchases up to %(date)s to fit the CLV models.")
            % {"date": as_of.isoformat()},
            field="as_of",
        )
    x = summary["frequency"].to_numpy(dtype="float64")
    t_x = summary["recency"].to_numpy(dtype="float64")
    big_t = summary["T"].to_numpy(dtype="float64")
    bgnbd = bgnbd_fit(x, t_x, big_t)
    horizon = horizon_years * DAYS_PER_YEAR / (7.0 if unit is TimeUnit.WEEKS else 1.0)
    one_year = DAYS_PER_YEAR / (7.0 if unit is TimeUnit.WEEKS else 1.0)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        # A degenerate fit (tiny data) gives NaN here; _finite_or_naive replaces those.
        p_alive = np.nan_to_num(bgnbd_probability_alive(bgnbd, x, t_x, big_t), nan=1.0)
        orders_1y = bgnbd_conditional_expected_purchases(bgnbd, one_year, x, t_x, big_t)
        orders_horizon = (
            orders_1y
            if horizon == one_year
            else bgnbd_conditional_expected_purchases(bgnbd, horizon, x, t_x, big_t)
        )
    orders_1y = _finite_or_naive(orders_1y, p_alive, x, big_t, one_year)
    orders_horizon = _finite_or_naive(orders_horizon, p_alive, x, big_t, horizon)
    rfm = rfm_table(frame, as_of=as_of).reindex(summary.index)
    gamma_gamma = _gamma_gamma_or_none(summary)
    if gamma_gamma is not None:
        spend = gamma_gamma_conditional_expected_spend(
            gamma_gamma, x, summary["monetary_value"].to_numpy(dtype="float64")
        )
    else:
        spend = (rfm["monetary"] / rfm["frequency"].clip(lower=1)).clip(lower=0).to_numpy()
    clv = np.nan_to_num(orders_horizon * spend * margin)
    tiers = _value_tiers(pd.Series(clv, index=summary.index))

    with transaction.atomic():
        run = ClvRun.objects.create(
            as_of=as_of, time_unit=unit.value, r=bgnbd.r, alpha=bgnbd.alpha, a=bgnbd.a,
            b=bgnbd.b, bgnbd_log_likelihood=bgnbd.log_likelihood,
            bgnbd_converged=bgnbd.converged,
            p=gamma_gamma.p if gamma_gamma else None,
            q=gamma_gamma.q if gamma_gamma else None,
            gamma=gamma_gamma.gamma if gamma_gamma else None,
            gamma_gamma_log_likelihood=gamma_gamma.log_likelihood if gamma_gamma else None,
            n_customers=len(summary), n_repeaters=int((x > 0).sum()),
            horizon_years=horizon_years, margin=margin,
        )  # fmt: skip
        rows = zip(
            summary.index.tolist(), x.tolist(), t_x.tolist(), big_t.tolist(),
            summary["monetary_value"].tolist(), rfm["recency_days"].tolist(),
            rfm["frequency"].tolist(), rfm["monetary"].tolist(), rfm["r_score"].tolist(),
            rfm["f_score"].tolist(), rfm["m_score"].tolist(), rfm["segment_code"].tolist(),
            p_alive.tolist(), orders_1y.tolist(), clv.tolist(), tiers.tolist(), strict=True,
        )  # fmt: skip
        CustomerValue.objects.bulk_create(
            (
                CustomerValue(
                    run=run,
                    customer_id=c,
                    frequency=int(f),
                    recency=rec,
                    T=age,
                    monetary=m,
                    recency_days=int(rd),
                    orders=int(o),
                    spend=_money(s),
                    r_score=int(rs),
                    f_score=int(fs),
                    m_score=int(ms),
                    rfm_segment=seg,
                    p_alive=pa,
                    expected_orders_1y=eo,
                    clv=_money(v),
                    value_tier=tier,
                )
                for c, f, rec, age, m, rd, o, s, rs, fs, ms, seg, pa, eo, v, tier in rows
            ),
            batch_size=5000,
        )
        run.seconds = time.monotonic() - started
        run.save(update_fields=["seconds"])
    logger.info(
        "CLV run %s as of %s: %s customers, r=%.3f alpha=%.3f a=%.3f b=%.3f in %.1fs",
        run.pk, as_of, run.n_customers, run.r, run.alpha, run.a, run.b, run.seconds,
    )  # fmt: skip
    return run


def clv_fit_daily(*, as_of: dt.date) -> ClvRun:
    """The nightly fit: reuse the run already made as of that day, otherwise fit one."""
    existing = ClvRun.objects.filter(as_of=as_of, time_unit=TimeUnit.WEEKS.value).first()
    return existing or clv_fit(as_of=as_of)


def clv_values_prune(*, today: dt.date, keep_days: int = 35) -> int:
    """Delete the per-customer rows (not the run and its parameters) of nightly runs older than
    `keep_days`, except the latest run and runs a scorecard snapshot refers to. Returns the
    number of runs pruned. Without it a nightly fit would add a full customer table a day."""
    keep = set(EvaluationSnapshot.objects.exclude(clv_run=None).values_list("clv_run", flat=True))
    latest = ClvRun.objects.order_by("-as_of", "-id").values_list("pk", flat=True).first()
    old = (
        ClvRun.objects.filter(as_of__lt=today - dt.timedelta(days=keep_days))
        .exclude(pk__in={pk for pk in (*keep, latest) if pk is not None})
        .filter(values__isnull=False)
        .distinct()
        .values_list("pk", flat=True)
    )
    pruned = list(old)
    CustomerValue.objects.filter(run_id__in=pruned).delete()
    return len(pruned)


def _finite_or_naive(
    expected: np.ndarray, p_alive: np.ndarray, x: np.ndarray, big_t: np.ndarray, horizon: float
) -> np.ndarray:
    """BG/NBD fitted on a handful of customers can diverge (parameters → ∞, 2F1 → NaN). Where
    the model gives no finite answer, fall back to P(alive) × the customer's own repeat rate."""
    finite = np.isfinite(expected)
    if finite.all():
        return expected
    logger.warning("BG/NBD gave no finite forecast for %s customers", int((~finite).sum()))
    naive = np.nan_to_num(p_alive, nan=1.0) * x / np.maximum(big_t, 1.0) * horizon
    return np.where(finite, expected, naive)


def _gamma_gamma_or_none(summary: pd.DataFrame):
    repeaters = summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
    if len(repeaters) < 2:
        return None
    try:
        fitted = gamma_gamma_fit(repeaters["frequency"], repeaters["monetary_value"])
    except ValueError:
        return None
    return fitted if fitted.q > 1 else None


def _value_tiers(clv: pd.Series) -> np.ndarray:
    """Top 20% of CLV high, the next 30% medium, the rest low (ties broken by customer id)."""
    n = len(clv)
    rank = clv.rank(method="first", ascending=False).to_numpy()  # 1 = highest CLV
    tiers = np.full(n, ValueTier.LOW.value, dtype=object)
    tiers[rank <= np.ceil(n * (HIGH_TIER_SHARE + MEDIUM_TIER_SHARE))] = ValueTier.MEDIUM.value
    tiers[rank <= np.ceil(n * HIGH_TIER_SHARE)] = ValueTier.HIGH.value
    return tiers


def _money(value: float) -> Decimal:
    if not np.isfinite(value):
        value = 0.0
    return Decimal(f"{value:.2f}")


# The scorecard ---------------------------------------------------------------------------


def service_indicators(period: Period) -> dict[str, float | None]:
    """First-response time (median hours) and resolution rate (%) of the period's triage
    cases, from feedback's service metrics (one definition, shared with the service pages)."""
    from feedback.cases.queries import service_metrics

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


# Post-purchase surveys -------------------------------------------------------------------

MAX_AUDIENCE_IDS = 10000  # what the surveys "customer_ids" audience filter accepts at once


def post_purchase_invitations_run(*, today: dt.date) -> list[PostPurchaseRun]:
    """For each active rule, invite the customers who ordered (in its category) `days_after`
    days before `today`. Each (rule, order day) runs once; order days missed since the rule's
    last run (beat or workers down) are caught up, at most CATCH_UP_DAYS of them. Invitations
    go through surveys' distribution services, so unsubscribes and the frequency cap apply."""
    runs = []
    for rule in PostPurchaseRule.objects.filter(active=True).select_related("survey"):
        due = today - dt.timedelta(days=rule.days_after)
        last = rule.runs.aggregate(last=Max("day"))["last"]
        first = due if last is None else max(last + dt.timedelta(days=1), due - _CATCH_UP)
        day = first
        while day <= due:
            run = _post_purchase_run(rule=rule, day=day)
            if run is not None:
                runs.append(run)
            day += dt.timedelta(days=1)
    return runs


CATCH_UP_DAYS = 3
_CATCH_UP = dt.timedelta(days=CATCH_UP_DAYS - 1)


@transaction.atomic
def _post_purchase_run(*, rule: PostPurchaseRule, day: dt.date) -> PostPurchaseRun | None:
    from surveys.distribution.invitations import (
        DistributionError,
        distribution_create,
        distribution_send,
    )

    run, created = PostPurchaseRun.objects.get_or_create(rule=rule, day=day)
    if not created:
        return None
    orders = Purchase.objects.filter(
        ordered_at__gte=local_midnight(day),
        ordered_at__lt=local_midnight(day + dt.timedelta(days=1)),
        is_refund=False,
    )
    if rule.category:
        orders = orders.filter(category=rule.category)
    customer_ids = sorted(set(orders.values_list("customer_id", flat=True)))
    run.customers = len(customer_ids)
    for start in range(0, len(customer_ids), MAX_AUDIENCE_IDS):
        chunk = customer_ids[start : start + MAX_AUDIENCE_IDS]
        try:
            distribution = distribution_create(
                survey=rule.survey, channel="email", audience={"customer_ids": chunk},
                name=f"{rule} · {day.isoformat()}",
            )  # fmt: skip
            distribution_send(distribution=distribution)
        except DistributionError as exc:
            logger.warning("post-purchase rule %s on %s: %s", rule.pk, day, exc)
            break
        run.distribution = distribution
    run.save(update_fields=["customers", "distribution"])
    return run
