"""Per-customer churn features from a purchase frame as of a date (pure pandas/numpy).

The unit of purchase is the purchase day, as in :mod:`analytics.clv.summary`; refunds are not
purchases. All times are in days.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.clv.bgnbd import BgNbdParams, bgnbd_fit, bgnbd_probability_alive
from analytics.clv.summary import customer_summary

FEATURE_COLUMNS = [
    "log_recency",
    "log_frequency",
    "log_monetary",
    "gap_ratio",
    "spend_trend",
    "logit_bgnbd_none",
]
# Shown in words, not used by the model: the raw values the reasons are made of.
DESCRIPTIVE_COLUMNS = [
    "recency_days",
    "repeat_days",
    "age_days",
    "rhythm_days",
    "p_alive",
    "bgnbd_none",
    "last_gap_days",
    "recent_days",
    "earlier_days",
]
RECENT_WINDOW_DAYS = 180


def bgnbd_no_purchase(params: BgNbdParams, frequency, recency, age, horizon: float) -> np.ndarray:
    """BG/NBD's own P(no purchase in the next `horizon` | x, t_x, T).

    A customer dropped out (1 − P(alive)) never buys again; one alive with rate λ buys nothing
    in `horizon` with probability e^(−λ·horizon), and λ | alive ~ Gamma(r + x, α + T). Dropping
    out only happens right after a purchase, so it cannot happen in a window without one.
    """
    x = np.asarray(frequency, dtype="float64")
    big_t = np.asarray(age, dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        alive = np.nan_to_num(bgnbd_probability_alive(params, x, recency, big_t), nan=1.0)
        quiet = np.exp(
            (params.r + x) * (np.log(params.alpha + big_t) - np.log(params.alpha + big_t + horizon))
        )
    return np.clip(1.0 - alive + alive * quiet, 0.0, 1.0), alive


def churn_features(
    transactions: pd.DataFrame,
    *,
    as_of: pd.Timestamp | str,
    horizon_days: float,
    bgnbd: BgNbdParams | None = None,
) -> tuple[pd.DataFrame, BgNbdParams | None]:
    """Features of every customer with a purchase day up to `as_of` (inclusive).

    Columns FEATURE_COLUMNS (model inputs) and DESCRIPTIVE_COLUMNS; indexed by customer id.
    BG/NBD is fitted on the same history (time in days) unless `bgnbd` is given; when it cannot
    be fitted (too few customers) its feature is left neutral (0.5) and None is returned.
    """
    end = pd.Timestamp(as_of).normalize()
    summary = customer_summary(transactions, calibration_end=end, time_unit="days")
    if summary.empty:
        return pd.DataFrame(columns=FEATURE_COLUMNS + DESCRIPTIVE_COLUMNS), bgnbd
    x = summary["frequency"].to_numpy(dtype="float64")
    first_to_last = summary["recency"].to_numpy(dtype="float64")
    age = summary["T"].to_numpy(dtype="float64")
    recency_days = age - first_to_last
    rhythm = np.divide(first_to_last, x, out=np.full_like(x, np.nan), where=x > 0)
    per_day = _day_totals(transactions, end)
    trend = _spend_trend(per_day, summary.index)
    spend = _mean_day_spend(per_day, summary.index)
    if bgnbd is None and len(summary) >= 20 and (x > 0).sum() >= 5:
        try:
            bgnbd = bgnbd_fit(x, first_to_last, age)
        except (ValueError, FloatingPointError):
            bgnbd = None
    if bgnbd is not None:
        none, alive = bgnbd_no_purchase(bgnbd, x, first_to_last, age, horizon_days)
    else:
        none, alive = np.full_like(x, 0.5), np.ones_like(x)
    clipped = np.clip(none, 1e-4, 1 - 1e-4)
    # Gaps beyond the own rhythm: days since last order ÷ mean gap; one-time buyers get the
    # ratio against the horizon (no rhythm of their own yet).
    gap = np.where(x > 0, recency_days / np.maximum(np.nan_to_num(rhythm, nan=1.0), 1.0),
                   recency_days / max(horizon_days, 1.0))  # fmt: skip
    frame = pd.DataFrame(
        {
            "log_recency": np.log1p(recency_days),
            "log_frequency": np.log1p(x),
            "log_monetary": np.log1p(np.maximum(spend, 0.0)),
            "gap_ratio": np.log1p(np.minimum(gap, 50.0)),
            "spend_trend": trend,
            "logit_bgnbd_none": np.log(clipped / (1 - clipped)),
            "recency_days": recency_days,
            "repeat_days": x,
            "age_days": age,
            "rhythm_days": rhythm,
            "p_alive": alive,
            "bgnbd_none": none,
        },
        index=summary.index,
    )
    return frame.join(_rhythm_columns(per_day, end, summary.index)), bgnbd


def _rhythm_columns(per_day: pd.DataFrame, end: pd.Timestamp, index: pd.Index) -> pd.DataFrame:
    """The gap before the last purchase day (NaN for one purchase day), and the purchase days
    in the last RECENT_WINDOW_DAYS and before them (for "frequency rising")."""
    per_day = per_day.assign(gap=per_day.groupby("customer")["day"].diff().dt.days)
    grouped = per_day.groupby("customer")
    recent = per_day["day"] > end - pd.Timedelta(days=RECENT_WINDOW_DAYS)
    out = pd.DataFrame(
        {
            "last_gap_days": grouped["gap"].last(),
            "recent_days": recent.groupby(per_day["customer"]).sum(),
            "earlier_days": (~recent).groupby(per_day["customer"]).sum(),
        }
    )
    return out.reindex(index).astype("float64")


def _day_totals(transactions: pd.DataFrame, end: pd.Timestamp) -> pd.DataFrame:
    moments = pd.to_datetime(transactions["ordered_at"])
    amounts = transactions["amount"].astype("float64")
    days = moments.dt.normalize()
    keep = ((days <= end) & (amounts >= 0)).to_numpy()
    frame = pd.DataFrame(
        {"customer": transactions["customer_id"].to_numpy()[keep],
         "day": days.to_numpy()[keep], "amount": amounts.to_numpy()[keep]}
    )  # fmt: skip
    return frame.groupby(["customer", "day"], sort=True)["amount"].sum().reset_index()


def _mean_day_spend(per_day: pd.DataFrame, index: pd.Index) -> np.ndarray:
    return per_day.groupby("customer")["amount"].mean().reindex(index).fillna(0.0).to_numpy()


def _spend_trend(per_day: pd.DataFrame, index: pd.Index) -> np.ndarray:
    """Last purchase day's spend ÷ the mean of the earlier ones, as a log ratio; 0 (no trend)
    for one-time buyers. Below 0: spend falling."""
    grouped = per_day.groupby("customer")["amount"]
    last = grouped.last()
    count = grouped.size()
    earlier = (grouped.sum() - last) / (count - 1).where(count > 1)
    ratio = np.log1p(last.clip(lower=0)) - np.log1p(earlier.clip(lower=0))
    return ratio.where(count > 1).reindex(index).fillna(0.0).to_numpy()
