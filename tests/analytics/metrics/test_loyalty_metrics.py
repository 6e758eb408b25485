import pandas as pd
import pytest

from analytics.metrics.loyalty import (
    active_customers,
    churn_rate,
    cross_sell_rate,
    inter_purchase_interval_days,
    promoter_share,
    repurchase_rate,
    retention_rate,
)

JAN = ("2024-01-01", "2024-02-01")
FEB = ("2024-02-01", "2024-03-01")


@pytest.fixture
def orders() -> pd.DataFrame:
    rows = [
        ("A", "2024-01-05", 100.0, "books"),
        ("A", "2024-02-10", 50.0, "music"),
        ("A", "2024-02-12", -50.0, "music"),  # refund of the February order
        ("B", "2024-01-20", 80.0, "books"),
        ("B", "2024-01-25", -80.0, "books"),  # refund: not a second order
        ("C", "2024-02-15 09:00", 30.0, "books"),
        ("C", "2024-02-15 18:00", 20.0, "books"),
        ("D", "2024-02-01", -10.0, "books"),  # only a refund of an older order
    ]
    frame = pd.DataFrame(rows, columns=["customer_id", "ordered_at", "amount", "product_category"])
    frame["ordered_at"] = pd.to_datetime(frame["ordered_at"], format="ISO8601")
    return frame


def test_repurchase_rate_counts_customers_with_two_orders_among_buyers(orders):
    # A and C ordered twice, B once (its refund is not an order), D never bought.
    assert repurchase_rate(orders, window=("2024-01-01", "2024-03-01")) == pytest.approx(200 / 3)


def test_repurchase_rate_respects_the_half_open_window(orders):
    assert repurchase_rate(orders, window=JAN) == pytest.approx(0.0)
    assert repurchase_rate(orders, window=FEB) == pytest.approx(50.0)


def test_a_refund_alone_does_not_make_a_customer_active(orders):
    assert active_customers(orders, window=FEB) == {"A", "C"}


def test_retention_is_customers_in_both_periods_over_customers_in_the_earlier(orders):
    assert retention_rate(orders, previous=JAN, current=FEB) == pytest.approx(50.0)
    assert churn_rate(orders, previous=JAN, current=FEB) == pytest.approx(50.0)


def test_retention_without_customers_in_the_earlier_period_is_none(orders):
    empty = ("2023-01-01", "2023-02-01")

    assert retention_rate(orders, previous=empty, current=FEB) is None
    assert churn_rate(orders, previous=empty, current=FEB) is None


def test_cross_sell_rate_counts_active_customers_with_two_categories(orders):
    assert cross_sell_rate(orders) == pytest.approx(100 / 3)


def test_order_lines_of_one_order_are_one_order_when_order_id_is_given():
    lines = pd.DataFrame(
        {
            "customer_id": ["E", "E"],
            "order_id": ["O1", "O1"],
            "ordered_at": pd.to_datetime(["2024-01-03", "2024-01-03"]),
            "amount": [10.0, 20.0],
            "product_category": ["books", "music"],
        }
    )

    assert repurchase_rate(lines) == 0.0
    assert cross_sell_rate(lines) == 100.0
    assert inter_purchase_interval_days(lines).empty


def test_inter_purchase_interval_is_mean_days_between_orders(orders):
    intervals = inter_purchase_interval_days(orders)

    # A: 5 Jan → 10 Feb = 36 days; C: two orders nine hours apart; B has one order.
    assert intervals.to_dict() == {"A": pytest.approx(36.0), "C": pytest.approx(9 / 24)}


def test_loyalty_rates_of_no_orders_are_none():
    empty = pd.DataFrame(
        {"customer_id": [], "ordered_at": pd.to_datetime([]), "amount": [], "product_category": []}
    )

    assert repurchase_rate(empty) is None
    assert cross_sell_rate(empty) is None
    assert inter_purchase_interval_days(empty).empty


def test_one_customer_with_one_order_has_zero_repurchase_and_no_interval():
    one = pd.DataFrame(
        {
            "customer_id": ["Z"],
            "ordered_at": pd.to_datetime(["2024-05-01"]),
            "amount": [9.9],
            "product_category": ["books"],
        }
    )

    assert repurchase_rate(one) == 0.0
    assert cross_sell_rate(one) == 0.0
    assert inter_purchase_interval_days(one).empty


def test_promoter_share_is_promoters_over_responses():
    assert promoter_share(promoters=3, responses=12) == pytest.approx(25.0)
    assert promoter_share(promoters=0, responses=0) is None
    with pytest.raises(ValueError):
        promoter_share(promoters=5, responses=4)
