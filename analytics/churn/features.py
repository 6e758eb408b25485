"""Per-customer churn features from a purchase frame as of a date (pure pandas/numpy).

The unit of purchase is the purchase day, as in :mod:`analytics.clv.summary`; refunds are not
purchases. All times are in days.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.clv.bgnbd import BgNbdParams, bgnbd_fit, bgnbd_probability_alive
from analytics.clv.summary import customer_groups, purchase_days, summary_from_days

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
    transactions: pd.DataFrame | None,
    *,
    as_of: pd.Timestamp | str,
    horizon_days: float,
    bgnbd: BgNbdParams | None = None,
    per_day: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, BgNbdParams | None]:
    """Features of every customer with a purchase day up to `as_of` (inclusive).

    Columns FEATURE_COLUMNS (model inputs) and DESCRIPTIVE_COLUMNS; indexed by customer id.
    BG/NBD is fitted on the same history (time in days) unless `bgnbd` is given; when it cannot
    be fitted (too few customers) its feature is left neutral (0.5) and None is returned.
    `per_day`: the history's purchase days (:func:`analytics.clv.summary.purchase_days`) when
    already at hand — a day's total does not depend on the cutoff, so the back-test's cutoffs
    share one grouping of the purchases; days after `as_of` are left out here.
    """
    end = pd.Timestamp(as_of).normalize()
    if per_day is None:
        per_day = purchase_days(transactions, end=end)
    else:
        per_day = per_day[(per_day["day"] <= end).to_numpy()]
    summary = summary_from_days(per_day, end=end, time_unit="days")
    if summary.empty:
        return pd.DataFrame(columns=FEATURE_COLUMNS + DESCRIPTIVE_COLUMNS), bgnbd
    x = summary["frequency"].to_numpy(dtype="float64")
    first_to_last = summary["recency"].to_numpy(dtype="float64")
    age = summary["T"].to_numpy(dtype="float64")
    recency_days = age - first_to_last
    rhythm = np.divide(first_to_last, x, out=np.full_like(x, np.nan), where=x > 0)
    days = _CustomerDays(per_day)
    trend = days.spend_trend()
    spend = days.mean_spend()
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
    return frame.join(days.rhythm_columns(end).reindex(summary.index)), bgnbd


class _CustomerDays:
    """A customer's purchase days as runs of rows (purchase_days sorts by customer, then day):
    each per-customer figure is read off the runs' first and last rows, sums grouped once."""

    def __init__(self, per_day: pd.DataFrame) -> None:
        customers = per_day["customer"].to_numpy()
        self.starts, self.ends = customer_groups(customers)
        self.index = pd.Index(customers[self.starts], name="customer")
        self.day = per_day["day"]
        self.amount = per_day["amount"].to_numpy()
        group = np.repeat(np.arange(len(self.starts)), self.ends - self.starts)
        self.grouped = pd.Series(self.amount).groupby(group, sort=False)
        self.count = pd.Series(self.ends - self.starts, index=self.index)

    def mean_spend(self) -> np.ndarray:
        return self.grouped.mean().fillna(0.0).to_numpy()

    def spend_trend(self) -> np.ndarray:
        """Last purchase day's spend ÷ the mean of the earlier ones, as a log ratio; 0 (no
        trend) for one-time buyers. Below 0: spend falling."""
        last = pd.Series(self.amount[self.ends - 1], index=self.index)
        total = pd.Series(self.grouped.sum().to_numpy(), index=self.index)
        count = self.count
        earlier = (total - last) / (count - 1).where(count > 1)
        ratio = np.log1p(last.clip(lower=0)) - np.log1p(earlier.clip(lower=0))
        return ratio.where(count > 1).fillna(0.0).to_numpy()

    def rhythm_columns(self, end: pd.Timestamp) -> pd.DataFrame:
        """The gap before the last purchase day (NaN for one purchase day), and the purchase
        days in the last RECENT_WINDOW_DAYS and before them (for "frequency rising")."""
        two = (self.ends - self.starts) > 1
        last = self.day.iloc[self.ends - 1].reset_index(drop=True)
        before = self.day.iloc[np.where(two, self.ends - 2, self.ends - 1)].reset_index(drop=True)
        gap = (last - before).dt.days.to_numpy(dtype="float64")
        recent = (self.day > end - pd.Timedelta(days=RECENT_WINDOW_DAYS)).to_numpy()
        recent_days = np.add.reduceat(recent.astype("int64"), self.starts) if two.size else []
        return pd.DataFrame(
            {
                "last_gap_days": np.where(two, gap, np.nan),
                "recent_days": recent_days,
                "earlier_days": self.ends - self.starts - np.asarray(recent_days, dtype="int64"),
            },
            index=self.index,
        ).astype("float64")
