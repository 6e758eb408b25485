"""The cross-sell rate per quarter, as PRODUCT.md defines it (active customers who bought in
≥ 2 product categories ÷ active customers: :func:`analytics.metrics.loyalty.cross_sell_rate`,
reused, not redefined), and beside it the share of returning customers who bought a category
new to them that quarter.

Input: an orders frame as :mod:`analytics.metrics.loyalty` reads it (``customer_id``,
``ordered_at`` naive local time, ``product_category``; refunds already left out or marked by a
negative ``amount``). One row per customer, category and quarter is enough. The defined rate
gets the rows as they are, so it equals the scorecard's for the same quarter (an empty category
counts there as one more category, as it does in the scorecard); the new-category share leaves
empty categories out.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analytics.metrics import loyalty

MAX_QUARTERS = 8


@dataclass(frozen=True)
class QuarterCrossSell:
    start: pd.Timestamp  # first day of the quarter
    label: str  # "2026 Q2"
    active: int  # customers with an order in the quarter
    cross_sell_rate: float | None  # %, the defined metric
    returning: int  # active customers who had ordered before the quarter
    new_category_buyers: int  # of those, customers who bought a category new to them
    new_category_share: float | None  # %, new_category_buyers ÷ returning


def _percent(numerator: int, denominator: int) -> float | None:
    return 100.0 * numerator / denominator if denominator else None


def quarterly_cross_sell(
    orders: pd.DataFrame, *, quarters: int = MAX_QUARTERS
) -> list[QuarterCrossSell]:
    """The last ``quarters`` quarters up to the latest order, oldest first."""
    if quarters < 1:
        raise ValueError(f"quarters must be at least 1, got {quarters}")
    frame = loyalty.orders_only(orders)
    if frame.empty:
        return []
    when = pd.to_datetime(frame[loyalty.ORDERED_AT])
    period = when.dt.to_period("Q")
    category = frame[loyalty.CATEGORY].fillna("").astype(str)
    first_order = period.groupby(frame[loyalty.CUSTOMER]).min()
    bought = pd.DataFrame(
        {"customer": frame[loyalty.CUSTOMER], "category": category, "period": period}
    )[category != ""]
    first_bought = bought.groupby(["customer", "category"])["period"].min().reset_index()
    last = period.max()
    result = []
    for quarter in pd.period_range(end=last, periods=quarters, freq="Q"):
        start = quarter.start_time
        window = (start, (quarter + 1).start_time)
        active = pd.unique(frame[loyalty.CUSTOMER][period == quarter])
        if not len(active) and quarter < period.min():
            continue
        returning = set(active[(first_order.reindex(active) < quarter).to_numpy()])
        new_buyers = set(first_bought["customer"][first_bought["period"] == quarter]) & returning
        result.append(
            QuarterCrossSell(
                start=start,
                label=f"{quarter.year} Q{quarter.quarter}",
                active=len(active),
                cross_sell_rate=loyalty.cross_sell_rate(frame, window=window),
                returning=len(returning),
                new_category_buyers=len(new_buyers),
                new_category_share=_percent(len(new_buyers), len(returning)),
            )
        )
    return result
