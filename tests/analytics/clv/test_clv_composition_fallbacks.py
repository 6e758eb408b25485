"""The one CLV composition (`analytics.clv.value`) as the product's CLV runs use it: the
fallbacks for a degenerate BG/NBD fit and for a run without a Gamma-Gamma fit."""

import math

import numpy as np
import pandas as pd
import pytest

from analytics.clv.bgnbd import BgNbdParams, bgnbd_conditional_expected_purchases
from analytics.clv.value import (
    clv_probabilistic,
    clv_simple,
    expected_purchases,
    probability_alive,
)

GOOD = BgNbdParams(0.243, 4.414, 0.793, 2.426, float("nan"), 0, True, 0, "")
# Parameters a fit on a handful of customers can end at: the hypergeometric term overflows.
DIVERGED = BgNbdParams(1e10, 1e10, 0.5, 0.5, float("nan"), 0, False, 0, "diverged")
SUMMARY = pd.DataFrame(
    {
        "frequency": [3, 0, 1],
        "recency": [30.0, 0.0, 2.0],
        "T": [40.0, 20.0, 4.0],
        "monetary_value": [20.0, 0.0, 35.0],
    },
    index=pd.Index(["C1", "C2", "C3"], name="customer_id"),
)


def test_expected_purchases_are_the_model_s_when_it_gives_finite_numbers():
    result = expected_purchases(SUMMARY, GOOD, 52.0)

    assert result[0] == pytest.approx(bgnbd_conditional_expected_purchases(GOOD, 52.0, 3, 30, 40))
    assert np.isfinite(result).all()


def test_a_diverged_fit_falls_back_to_p_alive_times_the_own_repeat_rate(caplog):
    result = expected_purchases(SUMMARY, DIVERGED, 52.0)

    alive = probability_alive(SUMMARY, DIVERGED)
    assert 0.1 < alive[2] < 0.2  # a live-enough customer, so the fallback shows
    # own rate = repeat purchases ÷ age, over the horizon
    assert result == pytest.approx(alive * np.array([3 / 40, 0 / 20, 1 / 4]) * 52.0)
    assert result[2] == pytest.approx(alive[2] * 13.0)
    assert [r.getMessage() for r in caplog.records] == [
        "BG/NBD gave no finite forecast for 3 customers"
    ]


def test_an_age_under_one_unit_counts_as_one_in_the_fallback_rate():
    young = SUMMARY.assign(T=[40.0, 20.0, 0.25], recency=[30.0, 0.0, 0.2])

    result = expected_purchases(young, DIVERGED, 52.0)

    alive = probability_alive(young, DIVERGED)
    assert np.isfinite(result).all()
    assert result[2] == pytest.approx(alive[2] * 1 / 1.0 * 52.0)


def test_p_alive_is_one_where_a_diverged_fit_gives_no_number():
    alive = probability_alive(SUMMARY, DIVERGED)

    assert np.isfinite(alive).all()
    assert alive[1] == 1.0  # never bought again: BG/NBD's P(alive) is 1
    assert 0 < alive[0] < 0.01


def test_without_a_gamma_gamma_fit_the_fallback_spend_is_the_expected_spend():
    own_mean_order = np.array([25.0, 40.0, 35.0])

    result = clv_probabilistic(
        SUMMARY, bgnbd=GOOD, gamma_gamma=None, horizon=52.0, margin=0.5,
        fallback_spend=own_mean_order,
    )  # fmt: skip

    assert list(result["expected_spend"]) == [25.0, 40.0, 35.0]
    purchases = expected_purchases(SUMMARY, GOOD, 52.0)
    assert list(result["clv"]) == pytest.approx(list(purchases * own_mean_order * 0.5))


def test_without_a_gamma_gamma_fit_a_fallback_spend_is_required():
    with pytest.raises(ValueError, match="fallback_spend"):
        clv_probabilistic(SUMMARY, bgnbd=GOOD, gamma_gamma=None, horizon=52.0, margin=1.0)


def test_a_diverged_fit_still_gives_every_customer_a_finite_clv():
    result = clv_probabilistic(
        SUMMARY, bgnbd=DIVERGED, gamma_gamma=None, horizon=52.0, margin=1.0,
        fallback_spend=np.array([25.0, 40.0, math.inf]),
    )  # fmt: skip

    assert np.isfinite(result["clv"]).all()
    assert result.loc["C1", "clv"] > 0


def test_the_refusals_name_what_is_wrong():
    with pytest.raises(ValueError, match=r"^without a Gamma-Gamma fit, give fallback_spend$"):
        clv_probabilistic(SUMMARY, bgnbd=GOOD, gamma_gamma=None, horizon=52.0, margin=1.0)
    with pytest.raises(ValueError, match=r"^discounting needs a positive period_length$"):
        clv_probabilistic(
            SUMMARY, bgnbd=GOOD, gamma_gamma=None, horizon=52.0, margin=1.0,
            discount_rate=0.01, period_length=0.0, fallback_spend=np.ones(3),
        )  # fmt: skip
    for name in ("average_order_value", "orders_per_year", "lifespan_years"):
        values = {"average_order_value": 1.0, "orders_per_year": 1.0, "lifespan_years": 1.0}
        values[name] = -1.0
        with pytest.raises(ValueError, match=rf"^{name} must be >= 0, got -1.0$"):
            clv_simple(**values, margin=0.3)


def test_zero_and_fractional_inputs_are_allowed_where_they_make_sense():
    assert (
        clv_simple(average_order_value=0.0, orders_per_year=0.0, lifespan_years=0.5, margin=0.0)
        == 0.0
    )
    assert clv_simple(
        average_order_value=100.0, orders_per_year=2.0, lifespan_years=0.5, margin=0.5
    ) == pytest.approx(50.0)
    free = clv_probabilistic(
        SUMMARY, bgnbd=GOOD, gamma_gamma=None, horizon=52.0, margin=0.0,
        fallback_spend=np.ones(3),
    )  # fmt: skip
    assert list(free["clv"]) == [0.0, 0.0, 0.0]


def test_a_short_horizon_is_discounted_in_short_periods():
    kwargs = {"bgnbd": GOOD, "gamma_gamma": None, "margin": 1.0, "fallback_spend": np.ones(3)}
    plain = clv_probabilistic(SUMMARY, horizon=0.5, **kwargs)["clv"]
    discounted = clv_probabilistic(
        SUMMARY, horizon=0.5, discount_rate=0.5, period_length=0.25, **kwargs
    )["clv"]

    assert (discounted < plain).loc[["C1", "C3"]].all()
    first = expected_purchases(SUMMARY, GOOD, 0.25)
    second = expected_purchases(SUMMARY, GOOD, 0.5) - first
    assert list(discounted) == pytest.approx(list(first / 1.5 + second / 1.5**2))
