"""Lifecycle stages from a customer's history and churn risk (pure).

Checked in this order, the first that holds wins (thresholds in `LifecycleThresholds`, from
settings SURVEYHUB_LIFECYCLE_*):

- lost (流失): no order for `lost_days`, or churn risk ≥ `lost_risk`;
- new (新客): the first order within `new_days`;
- won back (挽回): the gap before the last order was longer than `lost_days` (they had been
  lost and came back);
- declining (衰退): churn risk ≥ `declining_risk`, or the days since the last order are at
  least `declining_gap_ratio` × the customer's own mean gap;
- growing (成长): repeat buying whose pace rises: more purchase days per day in the last
  180 days than before them;
- mature (成熟): the rest (steady).

Risk is ignored where it is not a number (too little history: the rule of churn bands).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.churn.features import RECENT_WINDOW_DAYS

STAGES = ("new", "growing", "mature", "declining", "lost", "won_back")


@dataclass(frozen=True)
class LifecycleThresholds:
    new_days: int = 90
    lost_days: int = 365
    lost_risk: float = 0.95
    declining_risk: float = 0.7
    declining_gap_ratio: float = 2.0


def lifecycle_stages(features: pd.DataFrame, risk, thresholds: LifecycleThresholds) -> np.ndarray:
    """The stage code of each row of `features` (from churn_features) with its churn `risk`."""
    t = thresholds
    recency = features["recency_days"].to_numpy(dtype="float64")
    age = features["age_days"].to_numpy(dtype="float64")
    rhythm = features["rhythm_days"].to_numpy(dtype="float64")
    last_gap = features["last_gap_days"].to_numpy(dtype="float64")
    recent = features["recent_days"].to_numpy(dtype="float64")
    earlier = features["earlier_days"].to_numpy(dtype="float64")
    risk = np.asarray(risk, dtype="float64")
    known = ~np.isnan(risk)
    with np.errstate(invalid="ignore", divide="ignore"):
        earlier_span = np.maximum(age - RECENT_WINDOW_DAYS, 0.0)
        earlier_rate = np.where(earlier_span > 0, earlier / earlier_span, 0.0)
        recent_rate = recent / np.minimum(age + 1.0, RECENT_WINDOW_DAYS)
        beyond_rhythm = ~np.isnan(rhythm) & (recency >= t.declining_gap_ratio * rhythm)
    conditions = [
        (recency >= t.lost_days) | (known & (risk >= t.lost_risk)),
        age < t.new_days,
        ~np.isnan(last_gap) & (last_gap > t.lost_days),
        (known & (risk >= t.declining_risk)) | beyond_rhythm,
        ~np.isnan(rhythm) & (recent_rate > earlier_rate),
    ]
    choices = ["lost", "new", "won_back", "declining", "growing"]
    return np.select(conditions, choices, default="mature").astype(object)
