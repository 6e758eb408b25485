"""RFM as of a date: recency, frequency, monetary value, 1–5 quintile scores and eight segments.

- R = days since the last order (0 when the last order is on the as-of date);
- F = number of orders (distinct ``order_id`` when that column is present, otherwise rows);
- M = net spend: orders minus refunds.

Refunds (negative amounts) are not orders: they do not count in F nor move R, but they do
reduce M. Customers whose rows in range are all refunds are left out. Orders after the as-of
date are ignored, so a past date reproduces a past table. Days are calendar days of the data's
time zone: convert aware timestamps to the business zone (Asia/Shanghai) before calling.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd

CUSTOMER = "customer_id"
ORDERED_AT = "ordered_at"
AMOUNT = "amount"
ORDER_ID = "order_id"


@dataclass(frozen=True)
class RfmSegment:
    """One of the eight classic segments: "high" R means recent (fewer days than the mean)."""

    code: str
    name: str
    recent: bool
    frequent: bool
    valuable: bool


# Canonical order (most to least important); codes are stable for APIs and translations.
SEGMENTS: tuple[RfmSegment, ...] = (
    RfmSegment("important_value", "重要价值客户", recent=True, frequent=True, valuable=True),
    RfmSegment("important_develop", "重要发展客户", recent=True, frequent=False, valuable=True),
    RfmSegment("important_keep", "重要保持客户", recent=False, frequent=True, valuable=True),
    RfmSegment("important_retain", "重要挽留客户", recent=False, frequent=False, valuable=True),
    RfmSegment("general_value", "一般价值客户", recent=True, frequent=True, valuable=False),
    RfmSegment("general_develop", "一般发展客户", recent=True, frequent=False, valuable=False),
    RfmSegment("general_keep", "一般保持客户", recent=False, frequent=True, valuable=False),
    RfmSegment("general_retain", "一般挽留客户", recent=False, frequent=False, valuable=False),
)
SEGMENT_BY_CODE = {segment.code: segment for segment in SEGMENTS}
_SEGMENT_BY_FLAGS = {(s.recent, s.frequent, s.valuable): s for s in SEGMENTS}

RFM_COLUMNS = [
    "recency_days",
    "frequency",
    "monetary",
    "r_score",
    "f_score",
    "m_score",
    "rfm_score",
    "segment_code",
    "segment",
]


def quintile_scores(values: pd.Series, *, higher_is_better: bool) -> pd.Series:
    """Scores 1–5 by quintile of rank, 5 = best; ties broken by the series' order.

    Equivalent to ``qcut(rank(method="first"), 5)``: score = ceil(5 × rank ÷ n), so each
    score holds n/5 customers (±1). It never fails on ties or on fewer than five customers:
    with n < 5 the best customer still gets 5 and the scores spread over 1…5.
    """
    n = len(values)
    if n == 0:
        return pd.Series(dtype="int64", index=values.index)
    key = values if higher_is_better else -values
    ranks = key.rank(method="first").to_numpy()
    return pd.Series(np.ceil(5.0 * ranks / n).astype("int64"), index=values.index)


def rfm_table(transactions: pd.DataFrame, *, as_of: date | datetime | str) -> pd.DataFrame:
    """Per-customer R, F, M, their 1–5 scores, "RFM" score string and segment as of a date.

    Indexed by customer id, sorted, so that quintile ties break by customer id — the same
    input always gives the same scores.
    """
    end = pd.Timestamp(as_of).normalize()
    moments = pd.to_datetime(transactions[ORDERED_AT])
    if moments.dt.tz is not None and end.tzinfo is None:
        end = end.tz_localize(moments.dt.tz)
    # A positional working frame: the caller's index may be anything, even duplicated.
    rows = pd.DataFrame(
        {
            CUSTOMER: transactions[CUSTOMER].to_numpy(),
            "day": moments.dt.normalize().to_numpy(),
            AMOUNT: transactions[AMOUNT].astype("float64").to_numpy(),
        }
    )
    if ORDER_ID in transactions.columns:
        rows[ORDER_ID] = transactions[ORDER_ID].to_numpy()
    rows = rows[rows["day"] <= end]
    orders = rows[rows[AMOUNT] >= 0]
    if orders.empty:
        return pd.DataFrame(columns=RFM_COLUMNS).rename_axis(CUSTOMER)

    by_customer = orders.groupby(CUSTOMER, sort=True)
    last_day = by_customer["day"].max()
    frequency = by_customer[ORDER_ID].nunique() if ORDER_ID in orders else by_customer.size()
    monetary = rows.groupby(CUSTOMER, sort=True)[AMOUNT].sum().reindex(last_day.index)

    table = pd.DataFrame(
        {
            "recency_days": (end - last_day).dt.days.astype("int64"),
            "frequency": frequency.astype("int64"),
            "monetary": monetary.astype("float64"),
        }
    )
    table.index.name = CUSTOMER
    table["r_score"] = quintile_scores(table["recency_days"], higher_is_better=False)
    table["f_score"] = quintile_scores(table["frequency"], higher_is_better=True)
    table["m_score"] = quintile_scores(table["monetary"], higher_is_better=True)
    table["rfm_score"] = (
        table["r_score"].astype(str) + table["f_score"].astype(str) + table["m_score"].astype(str)
    )
    segments = _segments(table)
    table["segment_code"] = [s.code for s in segments]
    table["segment"] = [s.name for s in segments]
    return table[RFM_COLUMNS]


def _segments(table: pd.DataFrame) -> list[RfmSegment]:
    """Above/below the means; a value equal to the mean counts as "low" (not above it)."""
    recent = table["recency_days"] < table["recency_days"].mean()
    frequent = table["frequency"] > table["frequency"].mean()
    valuable = table["monetary"] > table["monetary"].mean()
    return [
        _SEGMENT_BY_FLAGS[flags]
        for flags in zip(recent.tolist(), frequent.tolist(), valuable.tolist(), strict=True)
    ]


def rfm_segment_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Customers and revenue per segment (all eight, in canonical order, zeros included).

    Shares are percentages; revenue is net spend (M). Shares are None-free: 0 when the total
    is 0 or negative, since a share of a non-positive total means nothing.
    """
    counts = table.groupby("segment_code")["monetary"].agg(["size", "sum"])
    codes = [s.code for s in SEGMENTS]
    counts = counts.reindex(codes, fill_value=0)
    total_customers = int(counts["size"].sum())
    total_revenue = float(counts["sum"].sum())
    summary = pd.DataFrame(
        {
            "segment": [s.name for s in SEGMENTS],
            "customers": counts["size"].astype("int64").to_numpy(),
            "customer_share": (
                100.0 * counts["size"].to_numpy() / total_customers
                if total_customers
                else np.zeros(len(codes))
            ),
            "revenue": counts["sum"].astype("float64").to_numpy(),
            "revenue_share": (
                100.0 * counts["sum"].to_numpy() / total_revenue
                if total_revenue > 0
                else np.zeros(len(codes))
            ),
        },
        index=pd.Index(codes, name="segment_code"),
    )
    return summary
