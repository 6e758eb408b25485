import pandas as pd
import pytest

from analytics.clv.bgnbd import BgNbdParams, bgnbd_conditional_expected_purchases
from analytics.clv.gamma_gamma import GammaGammaParams
from analytics.clv.value import clv_probabilistic, clv_simple

BGNBD = BgNbdParams(0.243, 4.414, 0.793, 2.426, float("nan"), 0, True, 0, "")
GAMMA_GAMMA = GammaGammaParams(6.25, 3.74, 15.44, float("nan"), 0, True, 0, "")
SUMMARY = pd.DataFrame(
    {
        "frequency": [2, 0],
        "recency": [30.43, 0.0],
        "T": [38.86, 38.86],
        "monetary_value": [20.0, 0],
    },
    index=pd.Index(["C1", "C2"], name="customer_id"),
)


def test_simple_clv_multiplies_order_value_frequency_lifespan_and_margin():
    assert clv_simple(
        average_order_value=200.0, orders_per_year=3.0, lifespan_years=2.0, margin=0.3
    ) == pytest.approx(360.0)


def test_simple_clv_rejects_a_margin_given_in_percent():
    with pytest.raises(ValueError, match="fraction"):
        clv_simple(average_order_value=200.0, orders_per_year=3.0, lifespan_years=2.0, margin=30)


def test_probabilistic_clv_is_expected_purchases_times_expected_spend_times_margin():
    result = clv_probabilistic(
        SUMMARY, bgnbd=BGNBD, gamma_gamma=GAMMA_GAMMA, horizon=52.0, margin=0.25
    )

    purchases = bgnbd_conditional_expected_purchases(BGNBD, 52.0, 2, 30.43, 38.86)
    spend = 6.25 * (15.44 + 2 * 20.0) / (6.25 * 2 + 3.74 - 1)
    assert result.loc["C1", "clv"] == pytest.approx(purchases * spend * 0.25)
    assert result.loc["C2", "probability_alive"] == 1.0
    assert list(result.columns) == [
        "probability_alive",
        "expected_purchases",
        "expected_spend",
        "clv",
    ]


def test_discounting_over_one_period_divides_by_one_plus_the_rate():
    plain = clv_probabilistic(SUMMARY, bgnbd=BGNBD, gamma_gamma=GAMMA_GAMMA, horizon=52, margin=1)
    discounted = clv_probabilistic(
        SUMMARY, bgnbd=BGNBD, gamma_gamma=GAMMA_GAMMA, horizon=52, margin=1,
        discount_rate=0.1, period_length=52,
    )  # fmt: skip

    assert discounted["clv"].tolist() == pytest.approx((plain["clv"] / 1.1).tolist())


def test_monthly_discounting_lies_between_none_and_discounting_everything_at_the_end():
    kwargs = {"bgnbd": BGNBD, "gamma_gamma": GAMMA_GAMMA, "horizon": 52.0, "margin": 1.0}
    plain = clv_probabilistic(SUMMARY, **kwargs)["clv"]
    monthly = clv_probabilistic(
        SUMMARY, **kwargs, discount_rate=0.01, period_length=52 / 12
    )["clv"]  # fmt: skip

    assert (monthly < plain).all()
    assert (monthly > plain / 1.01**12).all()


def test_discounting_needs_a_period_length():
    with pytest.raises(ValueError, match="period_length"):
        clv_probabilistic(
            SUMMARY, bgnbd=BGNBD, gamma_gamma=GAMMA_GAMMA, horizon=52, margin=1, discount_rate=0.1
        )
