"""Loyalty metrics from an orders frame: repurchase, retention, churn, cross-sell, intervals.

The frame has one row per order or per order line, with columns ``customer_id``, ``ordered_at``,
``amount`` and, where needed, ``product_category``; when an ``order_id`` column is present,
orders are its distinct values (so order lines are not counted as orders), otherwise each row is
one order.

Refunds: a row with a negative amount is a refund, not an order. It is dropped before any
counting, so a refund neither makes a customer active nor counts towards a repurchase. (Net
spend, where refunds do subtract, is RFM's M — see :mod:`analytics.metrics.rfm`.)

Windows are half-open ``[start, end)`` pairs of dates or timestamps; ``None`` on either side is
unbounded. Rates are percentages (0…100) and ``None`` when the denominator is 0.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

Moment = date | datetime | pd.Timestamp | str
Window = tuple[Moment | None, Moment | None]

CUSTOMER = "customer_id"
ORDERED_AT = "ordered_at"
AMOUNT = "amount"
ORDER_ID = "order_id"
CATEGORY = "product_category"


def orders_only(orders: pd.DataFrame) -> pd.DataFrame:
    """Drop refund rows (negative amounts): only purchases count as orders."""
    if AMOUNT not in orders.columns:
        return orders
    return orders[~(orders[AMOUNT] < 0)]


def _in_window(orders: pd.DataFrame, window: Window | None) -> pd.DataFrame:
    if window is None:
        return orders
    start, end = window
    when = pd.to_datetime(orders[ORDERED_AT])
    keep = pd.Series(True, index=orders.index)
    if start is not None:
        keep &= when >= _timestamp_like(start, when)
    if end is not None:
        keep &= when < _timestamp_like(end, when)
    return orders[keep]


def _timestamp_like(moment: Moment, when: pd.Series) -> pd.Timestamp:
    """A bound comparable with ``when``: naive bounds on aware data take the data's zone."""
    stamp = pd.Timestamp(moment)
    zone = getattr(when.dt, "tz", None)
    if zone is not None and stamp.tzinfo is None:
        stamp = stamp.tz_localize(zone)
    return stamp


def _orders_per_customer(orders: pd.DataFrame) -> pd.Series:
    grouped = orders.groupby(CUSTOMER, sort=False)
    if ORDER_ID in orders.columns:
        return grouped[ORDER_ID].nunique()
    return grouped.size()


def _percent(numerator: int, denominator: int) -> float | None:
    return 100.0 * numerator / denominator if denominator else None


def repurchase_rate(orders: pd.DataFrame, *, window: Window | None = None) -> float | None:
    """Customers with ≥ 2 orders ÷ customers with ≥ 1 order in the window, in %."""
    counts = _orders_per_customer(_in_window(orders_only(orders), window))
    return _percent(int((counts >= 2).sum()), int((counts >= 1).sum()))


def active_customers(orders: pd.DataFrame, *, window: Window | None = None) -> set[object]:
    """Customers with at least one order (not a refund) in the window."""
    return set(_in_window(orders_only(orders), window)[CUSTOMER].unique())


def retention_rate(orders: pd.DataFrame, *, previous: Window, current: Window) -> float | None:
    """Customers with an order in both P−1 and P ÷ customers with an order in P−1, in %."""
    before = active_customers(orders, window=previous)
    now = active_customers(orders, window=current)
    return _percent(len(before & now), len(before))


def churn_rate(orders: pd.DataFrame, *, previous: Window, current: Window) -> float | None:
    """100 − retention rate: the share of P−1's customers who did not order in P."""
    retention = retention_rate(orders, previous=previous, current=current)
    return None if retention is None else 100.0 - retention


def cross_sell_rate(orders: pd.DataFrame, *, window: Window | None = None) -> float | None:
    """Active customers who bought in ≥ 2 product categories ÷ active customers, in %."""
    active = _in_window(orders_only(orders), window)
    categories = active.groupby(CUSTOMER, sort=False)[CATEGORY].nunique()
    return _percent(int((categories >= 2).sum()), len(categories))


def inter_purchase_interval_days(
    orders: pd.DataFrame, *, window: Window | None = None
) -> pd.Series:
    """Mean days between consecutive orders per customer with ≥ 2 orders (others omitted).

    Equals (last order − first order) ÷ (orders − 1); orders on the same day count separately
    (interval 0). Fractional days come from order times. Indexed by customer id, sorted.
    """
    active = _in_window(orders_only(orders), window)
    if ORDER_ID in active.columns:
        # Order lines share their order's time; keep one row per order.
        active = active.drop_duplicates(subset=[CUSTOMER, ORDER_ID])
    when = pd.to_datetime(active[ORDERED_AT])
    grouped = when.groupby(active[CUSTOMER], sort=True)
    span_days = (grouped.max() - grouped.min()).dt.total_seconds() / 86400.0
    gaps = grouped.size() - 1
    result = (span_days[gaps > 0] / gaps[gaps > 0]).astype("float64")
    result.index.name = CUSTOMER
    result.name = "interval_days"
    return result


def promoter_share(*, promoters: int, responses: int) -> float | None:
    """Promoters (NPS 9–10) ÷ all NPS responses, in %: the loyalty dimension's attitude signal."""
    if promoters < 0 or responses < 0 or promoters > responses:
        raise ValueError(f"need 0 <= promoters <= responses, got {promoters} of {responses}")
    return _percent(promoters, responses)
