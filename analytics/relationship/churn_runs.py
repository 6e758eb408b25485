"""Churn risk and lifecycle stages for a CLV run: reads the satisfaction signals known up to the
run's date, runs the pure model (analytics.churn) and hands the per-customer columns back to
analytics.evaluations.clv_runs, which stores them with the run."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.conf import settings

from analytics.churn import churn_risk
from analytics.churn.lifecycle import LifecycleThresholds, lifecycle_stages
from analytics.clv.bgnbd import BgNbdParams
from analytics.evaluations.periods import local_midnight, local_zone
from feedback.models import Case, FeedbackItem, SentimentLabel
from surveys.models import Response, ResponseStatus
from surveys.scoring.rules import nps_group


@dataclass
class ChurnColumns:
    """Aligned with the customer index given: risk (NaN under the rule), band, stage…"""

    risk: np.ndarray
    band: np.ndarray
    stage: np.ndarray
    rhythm: np.ndarray
    last_gap: np.ndarray
    spend_trend: np.ndarray
    backtest: dict


def default_horizon() -> int:
    return int(settings.SURVEYHUB_CHURN_HORIZON_DAYS)


def thresholds() -> LifecycleThresholds:
    return LifecycleThresholds(
        new_days=settings.SURVEYHUB_LIFECYCLE_NEW_DAYS,
        lost_days=settings.SURVEYHUB_LIFECYCLE_LOST_DAYS,
        lost_risk=settings.SURVEYHUB_LIFECYCLE_LOST_RISK_PCT / 100.0,
        declining_risk=settings.SURVEYHUB_LIFECYCLE_DECLINING_RISK_PCT / 100.0,
        declining_gap_ratio=float(settings.SURVEYHUB_LIFECYCLE_DECLINING_GAP_RATIO),
    )


def churn_columns(
    frame: pd.DataFrame,
    *,
    as_of: dt.date,
    horizon_days: int,
    index: pd.Index,
    bgnbd: BgNbdParams | None = None,
) -> ChurnColumns:
    """Churn risk, band and lifecycle stage of the customers of `index` as of `as_of`
    (`bgnbd`: the run's own fit, time in days)."""
    result = churn_risk(
        frame,
        as_of=as_of,
        horizon_days=horizon_days,
        signals=satisfaction_signals(end=as_of),
        bgnbd=bgnbd,
    )
    out = result.frame.reindex(index)
    stages = lifecycle_stages(out, out["churn_risk"].to_numpy(), thresholds())
    return ChurnColumns(
        risk=out["churn_risk"].to_numpy(dtype="float64"),
        band=out["churn_band"].fillna("").to_numpy(dtype=object),
        stage=stages,
        rhythm=out["rhythm_days"].to_numpy(dtype="float64"),
        last_gap=out["last_gap_days"].to_numpy(dtype="float64"),
        spend_trend=out["spend_trend"].fillna(0.0).to_numpy(dtype="float64"),
        backtest=result.backtest.as_dict(),
    )


def satisfaction_signals(*, end: dt.date) -> pd.DataFrame:
    """customer_id, at (naive local), kind: NPS answers by group, negative feedback, cases
    opened and closed — everything known up to the end of `end` (local day)."""
    until = local_midnight(end + dt.timedelta(days=1))
    rows: list[tuple[int, dt.datetime, str]] = []
    answers = Response.objects.filter(
        status=ResponseStatus.COMPLETED, customer__isnull=False, nps_score__isnull=False,
        completed_at__lt=until,
    ).values_list("customer_id", "completed_at", "nps_score")  # fmt: skip
    rows.extend((c, at, str(nps_group(score))) for c, at, score in answers.iterator(5000))
    negative = FeedbackItem.objects.filter(
        customer__isnull=False, sentiment_label=SentimentLabel.NEGATIVE, created_at__lt=until
    ).values_list("customer_id", "created_at")
    rows.extend((c, at, "negative") for c, at in negative.iterator(5000))
    cases = Case.objects.filter(customer__isnull=False, created_at__lt=until).values_list(
        "customer_id", "created_at", "closed_at", "resolved_at"
    )
    for c, opened, closed, resolved in cases.iterator(5000):
        rows.append((c, opened, "case_opened"))
        ended = min((m for m in (closed, resolved) if m is not None), default=None)
        if ended is not None and ended < until:
            rows.append((c, ended, "case_closed"))
    signals = pd.DataFrame.from_records(rows, columns=["customer_id", "at", "kind"])
    if not signals.empty:
        moments = pd.to_datetime(signals["at"], utc=True)
        signals["at"] = moments.dt.tz_convert(local_zone()).dt.tz_localize(None)
    return signals
