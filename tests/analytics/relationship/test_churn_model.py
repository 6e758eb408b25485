"""analytics.churn: the model on synthetic histories, its rule fallback and its refusals."""

import numpy as np
import pandas as pd
import pytest

from analytics.churn import Band, churn_risk, rule_band
from analytics.churn.lifecycle import LifecycleThresholds, lifecycle_stages
from analytics.churn.signals import signal_features

AS_OF = pd.Timestamp("2026-06-30")


def _history(n=400, seed=1):
    """Customers buying at their own pace from 2025-01 on; a third stop at a random day."""
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(n):
        gap = rng.uniform(10, 120)
        day = pd.Timestamp("2025-01-01") + pd.Timedelta(days=float(rng.uniform(0, 200)))
        stop = day + pd.Timedelta(days=float(rng.uniform(0, 700))) if c % 3 == 0 else None
        while day <= pd.Timestamp("2026-12-31"):
            if stop is not None and day > stop:
                break
            rows.append((f"C{c:04d}", day, float(rng.uniform(20, 200))))
            day += pd.Timedelta(days=float(rng.exponential(gap)) + 1)
    return pd.DataFrame(rows, columns=["customer_id", "ordered_at", "amount"])


def _actual(tx, index, days):
    later = tx[(tx.ordered_at.dt.normalize() > AS_OF)
               & (tx.ordered_at.dt.normalize() <= AS_OF + pd.Timedelta(days=days))]  # fmt: skip
    return (~index.isin(later.customer_id)).astype(int)


def test_the_model_ranks_better_than_recency_and_is_calibrated_on_synthetic_buyers():
    from sklearn.metrics import roc_auc_score

    tx = _history()
    result = churn_risk(tx, as_of=AS_OF, horizon_days=60)

    frame = result.frame
    assert result.backtest.method == "model" and result.backtest.window_days == 60
    actual = _actual(tx, frame.index, 60)
    auc = roc_auc_score(actual, frame["churn_risk"])
    assert auc > 0.7
    assert auc >= roc_auc_score(actual, frame["recency_days"])
    assert abs(frame["churn_risk"].mean() - actual.mean()) < 0.08
    assert frame["churn_risk"].between(0, 1).all()
    assert set(frame["churn_band"]) <= {Band.HIGH, Band.MEDIUM, Band.LOW}
    # Only purchases up to the date count: the future never leaks into the features.
    assert frame["recency_days"].min() >= 0


def test_later_purchases_do_not_change_the_risk():
    tx = _history(200, seed=3)
    before = churn_risk(tx[tx.ordered_at <= AS_OF + pd.Timedelta(days=1)], as_of=AS_OF,
                        horizon_days=45).frame  # fmt: skip
    everything = churn_risk(tx, as_of=AS_OF, horizon_days=45).frame
    pd.testing.assert_series_equal(before["churn_risk"], everything["churn_risk"])


@pytest.mark.parametrize("horizon", [0, -30])
def test_a_horizon_of_zero_or_less_is_refused(horizon):
    with pytest.raises(ValueError, match="positive"):
        churn_risk(_history(20), as_of=AS_OF, horizon_days=horizon)


def test_too_few_customers_fall_back_to_the_rule_without_a_number():
    tx = _history(30)

    result = churn_risk(tx, as_of=AS_OF, horizon_days=90)

    assert result.backtest.method == "rule"
    assert result.backtest.reason == "few_customers"
    assert result.frame["churn_risk"].isna().all()
    assert set(result.frame["churn_band"]) <= {Band.HIGH, Band.MEDIUM, Band.LOW}


def test_a_short_history_falls_back_to_the_rule():
    tx = _history(300)
    recent = tx[tx.ordered_at >= AS_OF - pd.Timedelta(days=100)]

    result = churn_risk(recent, as_of=AS_OF, horizon_days=90)

    assert result.backtest.method == "rule" and result.backtest.reason == "short_history"
    assert result.frame["churn_risk"].isna().all()


def test_the_rule_compares_the_gap_with_the_own_rhythm_and_the_horizon():
    bands = rule_band([10, 40, 100, 200, 30, 100], [20, 20, 20, 20, np.nan, np.nan], 90)
    assert list(bands) == ["low", "medium", "high", "high", "low", "high"]
    # Twice the own rhythm but still within the horizon: medium, not high.
    assert list(rule_band([50], [20], 90)) == ["medium"]


def test_signals_are_used_only_when_they_add_and_their_gain_is_reported():
    tx = _history(400, seed=5)
    later = tx[(tx.ordered_at.dt.normalize() > AS_OF - pd.Timedelta(days=60))]
    quiet = sorted(set(tx.customer_id) - set(later.customer_id))
    # Detractors are exactly those who stop: a strong signal the back-test must pick up.
    signals = pd.DataFrame(
        [(c, AS_OF - pd.Timedelta(days=100), "detractor") for c in quiet]
        + [(c, AS_OF - pd.Timedelta(days=100), "promoter") for c in set(tx.customer_id)
           - set(quiet)],
        columns=["customer_id", "at", "kind"],
    )  # fmt: skip
    with_signals = churn_risk(tx, as_of=AS_OF, horizon_days=60, signals=signals)
    assert with_signals.backtest.signals_used is True
    assert with_signals.backtest.signals_auc_gain >= 0.005

    noise = signals.assign(kind=np.where(np.arange(len(signals)) % 2, "promoter", "detractor"))
    without = churn_risk(tx, as_of=AS_OF, horizon_days=60, signals=noise)
    assert without.backtest.signals_used is False
    assert without.backtest.signals_auc_gain < 0.005


def test_signal_features_only_count_what_was_known_at_the_date():
    index = pd.Index(["A", "B", "C"])
    signals = pd.DataFrame(
        [("A", "2026-01-01", "promoter"), ("A", "2026-03-01", "detractor"),
         ("B", "2026-07-05", "detractor"), ("B", "2026-06-01", "negative"),
         ("C", "2026-02-01", "case_opened"), ("A", "2026-02-01", "case_opened"),
         ("A", "2026-02-03", "case_closed")],
        columns=["customer_id", "at", "kind"],
    )  # fmt: skip
    out = signal_features(signals, as_of=AS_OF, index=index)
    assert list(out["last_nps_detractor"]) == [1, 0, 0]
    assert list(out["negative_feedback_recent"]) == [0, 1, 0]
    assert list(out["open_case"]) == [0, 0, 1]


def test_lifecycle_stages_follow_their_stated_order():
    t = LifecycleThresholds(new_days=90, lost_days=365, lost_risk=0.95, declining_risk=0.7)
    features = pd.DataFrame(
        {
            "recency_days": [400, 10, 5, 100, 20, 20, 20],
            "age_days": [800, 30, 700, 700, 700, 700, 700],
            "rhythm_days": [50, np.nan, 100, 30, 40, 40, 40],
            "last_gap_days": [50, np.nan, 400, 30, 40, 40, 40],
            "recent_days": [0, 1, 1, 2, 6, 2, 2],
            "earlier_days": [10, 0, 5, 10, 5, 10, 10],
        }
    )
    risk = [0.1, 0.2, 0.1, 0.1, 0.1, 0.1, 0.8]
    stages = lifecycle_stages(features, risk, t)
    assert list(stages) == ["lost", "new", "won_back", "declining", "growing", "mature",
                            "declining"]  # fmt: skip
    # Risk as high as the lost threshold makes a customer lost whatever the days say.
    assert lifecycle_stages(features.iloc[[5]], [0.95], t)[0] == "lost"
