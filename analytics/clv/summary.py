"""Per-customer (frequency, recency, T, monetary value) summary for BG/NBD and Gamma-Gamma.

Definitions follow Fader, Hardie & Lee (2005) and shared/data/README.md:

- the unit of purchase is the *purchase day*: all of a customer's purchases on one calendar day
  are one purchase whose amount is their sum;
- ``frequency`` = number of distinct purchase days − 1 (repeat purchases);
- ``recency`` = time between the first and the last purchase day;
- ``T`` = time between the first purchase day and the calibration end;
- ``monetary_value`` = mean amount of the repeat purchase days (first day excluded), 0 when
  there is no repeat purchase.

Refund rows (negative amounts) are dropped: a refund is not a purchase, and counting it as one
would both inflate frequency and drag the spend model towards zero. Zero-amount rows stay
(free orders are purchases; the CDNOW sample has eight of them).
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np
import pandas as pd


class TimeUnit(StrEnum):
    """Unit of recency and T; the fitted α scales with it (α in days = 7 × α in weeks)."""

    DAYS = "days"
    WEEKS = "weeks"


_DAYS_PER_UNIT = {TimeUnit.DAYS: 1.0, TimeUnit.WEEKS: 7.0}

SUMMARY_COLUMNS = ["frequency", "recency", "T", "monetary_value"]


def customer_summary(
    transactions: pd.DataFrame,
    *,
    calibration_end: str | pd.Timestamp,
    time_unit: TimeUnit | str = TimeUnit.WEEKS,
    customer_col: str = "customer_id",
    date_col: str = "ordered_at",
    amount_col: str = "amount",
) -> pd.DataFrame:
    """Summarise transactions up to ``calibration_end`` (inclusive) per customer for the CLV models.

    Returns a frame indexed by customer id (sorted) with columns frequency (int), recency, T
    (floats in ``time_unit``) and monetary_value. Vectorised: 1,000,000 rows take about a second.
    """
    per_day = purchase_days(
        transactions, end=calibration_end, customer_col=customer_col, date_col=date_col,
        amount_col=amount_col,
    )  # fmt: skip
    return summary_from_days(per_day, end=calibration_end, time_unit=time_unit,
                             customer_col=customer_col)  # fmt: skip


def _end_in_zone(end: str | pd.Timestamp, days: pd.Series) -> pd.Timestamp:
    end = pd.Timestamp(end).normalize()
    if days.dt.tz is not None and end.tzinfo is None:
        # Calendar days are those of the data's zone: convert to Asia/Shanghai before calling.
        end = end.tz_localize(days.dt.tz)
    return end


def purchase_days(
    transactions: pd.DataFrame,
    *,
    end: str | pd.Timestamp,
    customer_col: str = "customer_id",
    date_col: str = "ordered_at",
    amount_col: str = "amount",
) -> pd.DataFrame:
    """One row per customer and purchase day up to `end` (inclusive): customer, day, amount
    (the day's total), sorted by customer then day. Refund rows (negative amounts) dropped.

    Grouped on one integer key (customer rank × days + day rank) rather than on two columns:
    the same groups, rows summed in the same order, at a fraction of the time."""
    days = pd.to_datetime(transactions[date_col]).dt.normalize()
    end = _end_in_zone(end, days)
    amounts = transactions[amount_col].astype("float64")
    keep = ((days <= end) & (amounts >= 0)).to_numpy()
    customers = transactions[customer_col].to_numpy()[keep]
    if not len(customers):
        return pd.DataFrame({"customer": customers, "day": days[keep].to_numpy(),
                             "amount": amounts[keep].to_numpy()})  # fmt: skip
    customer_code, customer_values = pd.factorize(customers, sort=True)
    day_code, day_values = pd.factorize(days[keep], sort=True)
    key = customer_code.astype("int64") * len(day_values) + day_code
    totals = pd.Series(amounts[keep].to_numpy()).groupby(key, sort=True).sum()
    keys = totals.index.to_numpy()
    return pd.DataFrame(
        {
            "customer": np.asarray(customer_values)[keys // len(day_values)],
            "day": day_values[keys % len(day_values)],
            "amount": totals.to_numpy(),
        }
    )


def customer_groups(customers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (exclusive) row of each customer's run in rows sorted by customer."""
    if not len(customers):
        return np.array([], dtype="int64"), np.array([], dtype="int64")
    starts = np.flatnonzero(np.r_[True, customers[1:] != customers[:-1]])
    return starts, np.r_[starts[1:], len(customers)]


def summary_from_days(
    per_day: pd.DataFrame,
    *,
    end: str | pd.Timestamp,
    time_unit: TimeUnit | str = TimeUnit.WEEKS,
    customer_col: str = "customer_id",
) -> pd.DataFrame:
    """The summary of :func:`customer_summary` from :func:`purchase_days`' rows."""
    unit = TimeUnit(time_unit)
    if per_day.empty:
        return pd.DataFrame(
            {
                c: pd.Series(dtype="int64" if c == "frequency" else "float64")
                for c in SUMMARY_COLUMNS
            }
        ).rename_axis(customer_col)
    end = _end_in_zone(end, per_day["day"])
    customers = per_day["customer"].to_numpy()
    amounts = per_day["amount"].to_numpy()
    starts, ends = customer_groups(customers)
    day = per_day["day"]
    first_day = day.iloc[starts].reset_index(drop=True)
    last_day = day.iloc[ends - 1].reset_index(drop=True)
    frequency = ends - starts - 1
    # Summed per customer as a grouped sum over the day rows, as before (same rounding).
    group = np.repeat(np.arange(len(starts)), ends - starts)
    total = pd.Series(amounts).groupby(group, sort=False).sum().to_numpy()
    scale = _DAYS_PER_UNIT[unit]
    recency = (last_day - first_day).dt.days.astype("float64") / scale
    age = (end - first_day).dt.days.astype("float64") / scale
    repeat_spend = total - amounts[starts]
    monetary = np.divide(
        repeat_spend,
        frequency,
        out=np.zeros(len(frequency), dtype="float64"),
        where=frequency > 0,
    )
    summary = pd.DataFrame(
        {
            "frequency": frequency.astype("int64"),
            "recency": recency.to_numpy(),
            "T": age.to_numpy(),
            "monetary_value": monetary,
        },
        index=pd.Index(customers[starts], name=customer_col),
    )
    return summary
