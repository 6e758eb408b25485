import pandas as pd
import pytest

from analytics.clv.summary import customer_summary


@pytest.fixture
def transactions() -> pd.DataFrame:
    rows = [
        ("X", "2024-01-01", 10.0),
        ("X", "2024-01-01", 5.0),  # same day: one purchase of 15
        ("X", "2024-01-08", 20.0),
        ("X", "2024-01-15", 30.0),
        ("X", "2024-01-15", -10.0),  # refund: not a purchase, ignored
        ("X", "2024-02-01", 99.0),  # after the calibration end
        ("Y", "2024-01-22", 40.0),
        ("Z", "2024-02-02", 70.0),  # first purchase after the end: not a customer yet
    ]
    frame = pd.DataFrame(rows, columns=["customer_id", "ordered_at", "amount"])
    frame["ordered_at"] = pd.to_datetime(frame["ordered_at"])
    return frame


def test_summary_in_weeks_counts_repeat_purchase_days(transactions):
    summary = customer_summary(transactions, calibration_end="2024-01-29", time_unit="weeks")

    assert summary.index.tolist() == ["X", "Y"]
    assert summary.loc["X"].to_dict() == {
        "frequency": 2,
        "recency": pytest.approx(2.0),
        "T": pytest.approx(4.0),
        "monetary_value": pytest.approx(25.0),  # (20 + 30) / 2: first day excluded
    }
    assert summary.loc["Y"].to_dict() == {
        "frequency": 0,
        "recency": 0.0,
        "T": pytest.approx(1.0),
        "monetary_value": 0.0,
    }


def test_summary_in_days_uses_the_same_counts(transactions):
    summary = customer_summary(transactions, calibration_end="2024-01-29", time_unit="days")

    assert summary.loc["X", "recency"] == 14.0
    assert summary.loc["X", "T"] == 28.0
    assert summary["frequency"].dtype == "int64"


def test_summary_ignores_the_time_of_day(transactions):
    transactions.loc[1, "ordered_at"] = pd.Timestamp("2024-01-01 23:30")

    summary = customer_summary(transactions, calibration_end="2024-01-29", time_unit="days")

    assert summary.loc["X", "frequency"] == 2


def test_summary_of_no_transactions_is_empty(transactions):
    summary = customer_summary(transactions, calibration_end="2023-01-01")

    assert summary.empty
    assert list(summary.columns) == ["frequency", "recency", "T", "monetary_value"]


def test_summary_rejects_an_unknown_time_unit(transactions):
    with pytest.raises(ValueError):
        customer_summary(transactions, calibration_end="2024-01-29", time_unit="months")


def test_summary_accepts_time_zone_aware_timestamps(transactions):
    transactions["ordered_at"] = transactions["ordered_at"].dt.tz_localize("Asia/Shanghai")

    summary = customer_summary(transactions, calibration_end="2024-01-29", time_unit="days")

    assert summary.loc["X", "T"] == 28.0
