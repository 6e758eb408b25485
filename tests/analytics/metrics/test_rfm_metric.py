import pandas as pd
import pytest

from analytics.metrics.rfm import SEGMENTS, quintile_scores, rfm_segment_summary, rfm_table


def _frame(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["customer_id", "ordered_at", "amount"])
    frame["ordered_at"] = pd.to_datetime(frame["ordered_at"])
    return frame


@pytest.fixture
def transactions() -> pd.DataFrame:
    return _frame(
        [
            ("a", "2024-02-28", 100.0),
            ("a", "2024-02-01", 100.0),
            ("a", "2024-03-05", 999.0),  # after the as-of date: ignored
            ("b", "2024-02-20", 50.0),
            ("c", "2024-01-01", 300.0),
            ("c", "2024-01-15", 300.0),
            ("c", "2024-01-31", 300.0),
            ("d", "2023-12-01", 20.0),
            ("e", "2024-02-29", 10.0),
            ("e", "2024-03-01", -5.0),  # refund: lowers M, is not an order
        ]
    )


def test_rfm_values_are_days_since_last_order_orders_and_net_spend(transactions):
    table = rfm_table(transactions, as_of="2024-03-01")

    assert table["recency_days"].to_dict() == {"a": 2, "b": 10, "c": 30, "d": 91, "e": 1}
    assert table["frequency"].to_dict() == {"a": 2, "b": 1, "c": 3, "d": 1, "e": 1}
    assert table["monetary"].to_dict() == {"a": 200.0, "b": 50.0, "c": 900.0, "d": 20.0, "e": 5.0}


def test_rfm_scores_give_5_to_the_best_and_break_ties_by_customer_id(transactions):
    table = rfm_table(transactions, as_of="2024-03-01")

    assert table["r_score"].to_dict() == {"a": 4, "b": 3, "c": 2, "d": 1, "e": 5}
    # b, d and e all ordered once: the tie is broken in customer-id order.
    assert table["f_score"].to_dict() == {"a": 4, "b": 1, "c": 5, "d": 2, "e": 3}
    assert table["m_score"].to_dict() == {"a": 4, "b": 3, "c": 5, "d": 2, "e": 1}
    assert table.loc["c", "rfm_score"] == "255"


def test_rfm_segments_compare_with_the_means(transactions):
    table = rfm_table(transactions, as_of="2024-03-01")

    # Means: R 26.8 days, F 1.6 orders, M 235.
    assert table["segment_code"].to_dict() == {
        "a": "general_value",
        "b": "general_develop",
        "c": "important_keep",
        "d": "general_retain",
        "e": "general_develop",
    }
    assert table.loc["c", "segment"] == "重要保持客户"


def test_rfm_quintile_ties_are_deterministic_and_fill_every_score():
    rows = [(f"c{i:02d}", "2024-01-10", 10.0) for i in range(10)]

    table = rfm_table(_frame(rows), as_of="2024-01-31")

    assert table["r_score"].tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert table["m_score"].tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    # Everyone equals the mean, and "equal" is not "above": all are 一般挽留客户.
    assert set(table["segment_code"]) == {"general_retain"}


def test_rfm_scores_the_same_whatever_the_row_order(transactions):
    shuffled = transactions.sample(frac=1.0, random_state=7)

    pd.testing.assert_frame_equal(
        rfm_table(shuffled, as_of="2024-03-01"), rfm_table(transactions, as_of="2024-03-01")
    )


def test_rfm_of_one_customer_does_not_crash():
    table = rfm_table(_frame([("solo", "2024-01-01", 42.0)]), as_of="2024-01-02")

    assert table.loc["solo", ["r_score", "f_score", "m_score"]].tolist() == [5, 5, 5]
    assert table.loc["solo", "segment_code"] == "general_retain"


def test_rfm_with_fewer_than_five_customers_spreads_scores():
    rows = [("x", "2024-01-01", 1.0), ("y", "2024-01-02", 2.0), ("z", "2024-01-03", 3.0)]

    table = rfm_table(_frame(rows), as_of="2024-01-10")

    assert table["m_score"].to_dict() == {"x": 2, "y": 4, "z": 5}
    assert table["r_score"].to_dict() == {"x": 2, "y": 4, "z": 5}


def test_rfm_of_no_transactions_is_an_empty_table():
    table = rfm_table(_frame([]), as_of="2024-01-10")

    assert table.empty
    assert "segment_code" in table.columns


def test_customers_with_only_refunds_are_left_out_of_rfm():
    rows = [("x", "2024-01-01", 10.0), ("r", "2024-01-02", -5.0)]

    assert rfm_table(_frame(rows), as_of="2024-01-10").index.tolist() == ["x"]


def test_rfm_counts_distinct_orders_when_order_id_is_given():
    frame = _frame([("x", "2024-01-01", 10.0), ("x", "2024-01-01", 5.0)])
    frame["order_id"] = ["O1", "O1"]

    table = rfm_table(frame, as_of="2024-01-10")

    assert table.loc["x", "frequency"] == 1
    assert table.loc["x", "monetary"] == 15.0


def test_quintile_scores_of_nothing_are_empty():
    assert quintile_scores(pd.Series([], dtype="float64"), higher_is_better=True).empty


def test_segment_summary_lists_all_eight_segments_with_counts_and_revenue_share(transactions):
    summary = rfm_segment_summary(rfm_table(transactions, as_of="2024-03-01"))

    assert summary.index.tolist() == [s.code for s in SEGMENTS]
    assert summary["customers"].sum() == 5
    assert summary.loc["general_develop", "customers"] == 2
    assert summary.loc["general_develop", "revenue"] == pytest.approx(55.0)
    assert summary.loc["important_keep", "revenue_share"] == pytest.approx(100 * 900 / 1175)
    assert summary.loc["important_value", "customers"] == 0
    assert summary["customer_share"].sum() == pytest.approx(100.0)


def test_every_segment_has_a_unique_stable_code_and_chinese_name():
    assert len({s.code for s in SEGMENTS}) == 8
    assert len({(s.recent, s.frequent, s.valuable) for s in SEGMENTS}) == 8
    assert SEGMENTS[0].name == "重要价值客户"


def test_rfm_counts_calendar_days_in_the_zone_of_aware_timestamps():
    frame = _frame([("x", "2024-01-09 23:30", 10.0)])
    frame["ordered_at"] = frame["ordered_at"].dt.tz_localize("Asia/Shanghai")

    table = rfm_table(frame, as_of="2024-01-10")

    assert table.loc["x", "recency_days"] == 1
