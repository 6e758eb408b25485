"""Loyalty and RFM at their edges: window bounds, time zones, free orders, shapes and names."""

import pandas as pd
import pytest

from analytics.metrics.loyalty import (
    active_customers,
    cross_sell_rate,
    inter_purchase_interval_days,
    repurchase_rate,
)
from analytics.metrics.rfm import SEGMENTS, quintile_scores, rfm_segment_summary, rfm_table


def _orders(rows, tz=None) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["customer_id", "ordered_at", "amount", "product_category"])
    frame["ordered_at"] = pd.to_datetime(frame["ordered_at"])
    if tz:
        frame["ordered_at"] = frame["ordered_at"].dt.tz_localize(tz)
    return frame


def test_window_includes_its_start_and_excludes_its_end():
    orders = _orders(
        [
            ("on_start", "2024-02-01 00:00", 10.0, "books"),
            ("on_end", "2024-03-01 00:00", 10.0, "books"),
        ]
    )

    assert active_customers(orders, window=("2024-02-01", "2024-03-01")) == {"on_start"}


def test_naive_window_bounds_on_shanghai_timestamps_are_shanghai_days():
    # 2024-02-01 00:30 in Shanghai is still January in UTC: read the bound in the data zone.
    orders = _orders(
        [
            ("feb", "2024-02-01 00:30", 10.0, "books"),
            ("jan", "2024-01-31 23:30", 10.0, "books"),
        ],
        tz="Asia/Shanghai",
    )

    assert active_customers(orders, window=("2024-02-01", None)) == {"feb"}
    assert active_customers(orders, window=(None, "2024-02-01")) == {"jan"}


def test_aware_window_bounds_on_aware_timestamps_are_used_as_given():
    orders = _orders([("a", "2024-02-01 09:00", 10.0, "books")], tz="Asia/Shanghai")
    start = pd.Timestamp("2024-02-01 00:00", tz="UTC")  # 08:00 in Shanghai

    assert active_customers(orders, window=(start, None)) == {"a"}


def test_a_free_order_is_an_order_and_only_negative_amounts_are_refunds():
    orders = _orders(
        [
            ("a", "2024-02-01", 0.0, "books"),  # a gift or a fully discounted order
            ("a", "2024-02-02", 0.5, "music"),
            ("b", "2024-02-03", -1.0, "books"),
        ]
    )

    assert repurchase_rate(orders) == pytest.approx(100.0)
    assert cross_sell_rate(orders) == pytest.approx(100.0)


def test_cross_sell_rate_respects_the_window():
    orders = _orders(
        [
            ("a", "2024-01-10", 10.0, "books"),
            ("a", "2024-02-10", 10.0, "music"),
            ("b", "2024-02-11", 10.0, "books"),
        ]
    )

    assert cross_sell_rate(orders, window=("2024-02-01", "2024-03-01")) == pytest.approx(0.0)
    assert cross_sell_rate(orders) == pytest.approx(50.0)


def test_interval_is_the_span_divided_by_the_gaps_indexed_and_sorted_by_customer():
    orders = _orders(
        [
            ("b", "2024-01-01", 10.0, "books"),
            ("b", "2024-01-03", 10.0, "books"),
            ("b", "2024-01-09", 10.0, "books"),  # 8 days over 2 gaps
            ("a", "2024-01-01", 10.0, "books"),
            ("a", "2024-01-06", 10.0, "books"),
            ("z", "2023-06-01", 10.0, "books"),  # outside the window below
            ("z", "2024-01-02", 10.0, "books"),
        ]
    )

    result = inter_purchase_interval_days(orders, window=("2024-01-01", "2024-02-01"))

    assert list(result.index) == ["a", "b"]
    assert result.to_dict() == {"a": pytest.approx(5.0), "b": pytest.approx(4.0)}
    assert result.index.name == "customer_id"
    assert result.name == "interval_days"
    assert result.dtype == "float64"


def _transactions(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["customer_id", "ordered_at", "amount"])
    frame["ordered_at"] = pd.to_datetime(frame["ordered_at"])
    return frame


def test_rfm_counts_free_and_small_orders_in_frequency():
    table = rfm_table(
        _transactions([("a", "2024-02-01", 0.0), ("a", "2024-02-02", 0.5)]), as_of="2024-03-01"
    )

    assert table.loc["a", "frequency"] == 2
    assert table.loc["a", "recency_days"] == 28


def test_rfm_table_types_and_index_name():
    table = rfm_table(
        _transactions([("b", "2024-02-01", 10), ("a", "2024-02-02", 20)]), as_of="2024-03-01"
    )

    assert table.index.name == "customer_id"
    assert list(table.index) == ["a", "b"]
    assert str(table["recency_days"].dtype) == "int64"
    assert str(table["frequency"].dtype) == "int64"
    assert str(table["monetary"].dtype) == "float64"


def test_rfm_amounts_read_as_text_are_summed_as_numbers():
    table = rfm_table(
        _transactions([("a", "2024-02-01", "10.5"), ("a", "2024-02-02", "2")]), as_of="2024-03-01"
    )

    assert table.loc["a", "monetary"] == pytest.approx(12.5)


def test_an_empty_rfm_table_is_still_indexed_by_customer():
    table = rfm_table(_transactions([("a", "2024-04-01", 10.0)]), as_of="2024-03-01")

    assert table.empty
    assert table.index.name == "customer_id"


def test_rfm_as_of_an_aware_moment_on_aware_data():
    frame = _transactions([("a", "2024-02-29 12:00", 10.0)])
    frame["ordered_at"] = frame["ordered_at"].dt.tz_localize("Asia/Shanghai")

    table = rfm_table(frame, as_of=pd.Timestamp("2024-03-01 10:00", tz="Asia/Shanghai"))

    assert table.loc["a", "recency_days"] == 1


def test_quintile_scores_of_nothing_keep_the_index_and_integer_type():
    empty = pd.Series([], dtype="float64", index=pd.Index([], name="customer_id"))

    scores = quintile_scores(empty, higher_is_better=True)

    assert str(scores.dtype) == "int64"
    assert scores.index.name == "customer_id"


def test_segment_summary_of_no_customers_is_eight_zero_rows():
    empty = rfm_table(_transactions([("a", "2024-04-01", 10.0)]), as_of="2024-03-01")

    summary = rfm_segment_summary(empty)

    assert list(summary.index) == [s.code for s in SEGMENTS]
    assert summary.index.name == "segment_code"
    assert list(summary["segment"]) == [s.name for s in SEGMENTS]
    assert summary["customer_share"].tolist() == [0.0] * 8
    assert summary["revenue_share"].tolist() == [0.0] * 8
    assert str(summary["customers"].dtype) == "int64"
    assert str(summary["revenue"].dtype) == "float64"


def test_revenue_shares_are_zero_when_refunds_cancel_all_revenue():
    # a bought for 100 and got it all back: one customer, net spend 0.
    table = rfm_table(
        _transactions([("a", "2024-02-01", 100.0), ("a", "2024-02-05", -100.0)]),
        as_of="2024-03-01",
    )

    summary = rfm_segment_summary(table)

    assert summary["revenue_share"].tolist() == [0.0] * 8
    assert summary["customer_share"].sum() == pytest.approx(100.0)


def test_revenue_shares_of_a_small_total_still_add_up_to_100():
    table = rfm_table(_transactions([("a", "2024-02-01", 0.5)]), as_of="2024-03-01")

    assert rfm_segment_summary(table)["revenue_share"].sum() == pytest.approx(100.0)
