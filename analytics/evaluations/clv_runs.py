"""CLV runs — the only writer of CLV runs and per-customer values: BG/NBD + Gamma-Gamma on
purchases up to a date, RFM and value tiers per customer."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from analytics.clv import (
    TimeUnit,
    bgnbd_fit,
    customer_summary,
    gamma_gamma_fit,
)
from analytics.clv.value import clv_probabilistic, expected_purchases
from analytics.evaluations.errors import EvaluationError
from analytics.metrics.rfm import rfm_table
from analytics.models import (
    ClvRun,
    CustomerValue,
    EvaluationSnapshot,
    ValueTier,
)
from analytics.relationship.churn_runs import (
    churn_columns,
    customer_values_copy,
    default_horizon,
    purchase_history,
)
from analytics.relationship.next_category import category_rules_keep

logger = logging.getLogger(__name__)

DAYS_PER_YEAR = 365.0
HIGH_TIER_SHARE = 0.20  # top 20% of CLV
MEDIUM_TIER_SHARE = 0.30  # the next 30%

# CLV -------------------------------------------------------------------------------------


def clv_fit(
    *,
    as_of: dt.date,
    time_unit: str = "weeks",
    margin: float | None = None,
    horizon_years: float = 1.0,
    churn_horizon_days: int | None = None,
) -> ClvRun:
    """Fit BG/NBD + Gamma-Gamma on purchases up to `as_of` (inclusive, local days) and store
    the run with every customer's summary, RFM, P(alive), expected orders, CLV and tier.

    CLV = expected purchases over `horizon_years` × expected spend × `margin` (default
    settings.SURVEYHUB_CLV_MARGIN, else 1 = revenue). Without repeat buyers the spend model
    cannot be fitted and each customer's own mean order value is used instead.

    Churn risk over `churn_horizon_days` (default settings.SURVEYHUB_CHURN_HORIZON_DAYS) and the
    lifecycle stage are stored with each customer, the churn back-test with the run.
    """
    horizon_days = default_horizon() if churn_horizon_days is None else int(churn_horizon_days)
    if horizon_days <= 0:
        raise EvaluationError(
            _("The churn horizon must be at least one day."), field="horizon_days"
        )
    try:
        unit = TimeUnit(time_unit)
    except ValueError:
        raise EvaluationError(_("Expected weeks or days."), field="time_unit") from None
    margin = float(getattr(settings, "SURVEYHUB_CLV_MARGIN", 1.0) if margin is None else margin)
    started = time.monotonic()
    frame = purchase_history(end=as_of)
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
    per_year = DAYS_PER_YEAR / (7.0 if unit is TimeUnit.WEEKS else 1.0)
    rfm = rfm_table(frame, as_of=as_of).reindex(summary.index)
    gamma_gamma = _gamma_gamma_or_none(summary)
    own_mean_order = (rfm["monetary"] / rfm["frequency"].clip(lower=1)).clip(lower=0).to_numpy()
    horizon = horizon_years * per_year
    values = clv_probabilistic(
        summary, bgnbd=bgnbd, gamma_gamma=gamma_gamma, horizon=horizon, margin=margin,
        fallback_spend=own_mean_order,
    )  # fmt: skip
    p_alive = values["probability_alive"].to_numpy()
    # The default horizon is one year: its forecast is the one just made, not made again.
    orders_1y = (
        values["expected_purchases"].to_numpy()
        if horizon == per_year
        else expected_purchases(summary, bgnbd, per_year)
    )
    clv = values["clv"].to_numpy()
    tiers = _value_tiers(pd.Series(clv, index=summary.index))
    in_days = dataclasses.replace(
        bgnbd, alpha=bgnbd.alpha * (7.0 if unit is TimeUnit.WEEKS else 1.0)
    )
    churn = churn_columns(
        frame, as_of=as_of, horizon_days=horizon_days, index=summary.index, bgnbd=in_days
    )
    at_stake = np.where(np.isnan(churn.risk), 0.0, clv * np.nan_to_num(churn.risk))

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
            horizon_years=horizon_years, margin=margin, churn_horizon_days=horizon_days,
            churn_backtest=churn.backtest,
        )  # fmt: skip
        customer_values_copy(run_id=run.pk, customer_ids=summary.index, columns={
            "frequency": x, "recency": t_x, "T": big_t, "monetary": summary["monetary_value"],
            "recency_days": rfm["recency_days"], "orders": rfm["frequency"],
            "spend": rfm["monetary"], "r_score": rfm["r_score"], "f_score": rfm["f_score"],
            "m_score": rfm["m_score"], "rfm_segment": rfm["segment_code"], "p_alive": p_alive,
            "expected_orders_1y": orders_1y, "clv": clv, "value_tier": tiers,
            "churn_risk": churn.risk, "churn_band": churn.band, "value_at_stake": at_stake,
            "rhythm_days": churn.rhythm, "last_gap_days": churn.last_gap,
            "spend_trend": churn.spend_trend, "lifecycle_stage": churn.stage,
        })  # fmt: skip
        run.seconds = time.monotonic() - started
        run.save(update_fields=["seconds"])
    logger.info(
        "CLV run %s as of %s: %s customers, r=%.3f alpha=%.3f a=%.3f b=%.3f in %.1fs",
        run.pk, as_of, run.n_customers, run.r, run.alpha, run.a, run.b, run.seconds,
    )  # fmt: skip
    try:  # the customer 360 page's "next likely category" (recomputed there on a miss)
        category_rules_keep(run_id=run.pk)
    except Exception:
        logger.exception("category rules for CLV run %s not kept", run.pk)
    return run


def clv_fit_daily(*, as_of: dt.date) -> ClvRun:
    """The nightly fit: reuse the run already made as of that day, otherwise fit one."""
    existing = ClvRun.objects.filter(
        as_of=as_of, time_unit=TimeUnit.WEEKS.value, churn_horizon_days=default_horizon()
    ).first()
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
