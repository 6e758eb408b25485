"""CLV inputs at their edges: what the models accept, what they refuse, and why."""

import numpy as np
import pytest

from analytics.clv.bgnbd import bgnbd_fit, bgnbd_log_likelihood
from analytics.clv.gamma_gamma import gamma_gamma_log_likelihood
from analytics.clv.value import clv_probabilistic, clv_simple
from tests.analytics.clv.test_clv_value import BGNBD, GAMMA_GAMMA, SUMMARY

PARAMS = (0.243, 4.414, 0.793, 2.426)  # r, alpha, a, b of the CDNOW fit


def _ll(x, t_x, big_t):
    return bgnbd_log_likelihood(PARAMS, x, t_x, big_t)


def _fit(x, t_x, big_t):
    # Fitting validates the customers first; a few are enough for that.
    return bgnbd_fit([*x, 1, 0, 3], [*t_x, 4.0, 0.0, 9.0], [*big_t, 12.0, 12.0, 12.0])


def test_recency_equal_to_t_is_valid_and_past_t_is_refused():
    assert np.isfinite(_ll([2], [10.0], [10.0]))
    assert _fit([2], [10.0], [10.0]) is not None
    with pytest.raises(ValueError, match=r"^need frequency >= 0 and 0 <= recency <= T for every"):
        _fit([2], [10.5], [10.0])


@pytest.mark.parametrize(("x", "t_x"), [([-1], [0.0]), ([1], [-1.0])])
def test_negative_frequency_or_recency_is_refused(x, t_x):
    with pytest.raises(ValueError, match=r"^need frequency >= 0"):
        _fit(x, t_x, [10.0])


def test_no_repeat_but_a_recency_is_refused():
    with pytest.raises(ValueError, match=r"^a customer with frequency 0 must have recency 0$"):
        _fit([0], [3.0], [10.0])


def test_gamma_gamma_uses_only_repeaters_with_positive_spend():
    params = (6.25, 3.74, 15.44)
    only_repeater = gamma_gamma_log_likelihood(params, [2], [20.0])

    # A customer without a repeat, or whose repeats were free, adds nothing to the likelihood.
    assert gamma_gamma_log_likelihood(params, [2, 0], [20.0, 30.0]) == pytest.approx(only_repeater)
    assert gamma_gamma_log_likelihood(params, [2, 3], [20.0, 0.0]) == pytest.approx(only_repeater)
    # A small but positive spend counts.
    assert gamma_gamma_log_likelihood(params, [2, 1], [20.0, 0.5]) != pytest.approx(only_repeater)


def test_gamma_gamma_refuses_mismatched_lengths():
    with pytest.raises(ValueError, match=r"^frequency and monetary_value must have the same len"):
        gamma_gamma_log_likelihood((1.0, 1.0, 1.0), [1, 2], [10.0])


def test_simple_clv_accepts_a_margin_of_1_and_names_a_negative_input():
    assert clv_simple(
        average_order_value=10.0, orders_per_year=2.0, lifespan_years=1.0, margin=1.0
    ) == pytest.approx(20.0)
    with pytest.raises(ValueError, match=r"^margin must be a fraction between 0 and 1, got 1.5$"):
        clv_simple(average_order_value=10.0, orders_per_year=2.0, lifespan_years=1.0, margin=1.5)
    with pytest.raises(ValueError, match=r"^orders_per_year must be >= 0, got -1$"):
        clv_simple(average_order_value=10.0, orders_per_year=-1, lifespan_years=1.0, margin=0.5)


def _clv(**options):
    given = {"bgnbd": BGNBD, "gamma_gamma": GAMMA_GAMMA, "horizon": 52.0, "margin": 0.25}
    return clv_probabilistic(SUMMARY, **{**given, **options})


def test_a_horizon_of_zero_or_under_one_period_is_valid():
    assert _clv(horizon=0.0)["clv"].tolist() == [0.0, 0.0]
    assert (_clv(horizon=0.5)["clv"] > 0).all()


def test_probabilistic_clv_refuses_bad_options_with_a_reason():
    with pytest.raises(ValueError, match=r"^horizon must be >= 0$"):
        _clv(horizon=-1.0)
    with pytest.raises(ValueError, match=r"^margin must be a fraction between 0 and 1, got 2$"):
        _clv(margin=2)
    with pytest.raises(ValueError, match=r"^discount_rate must be >= 0$"):
        _clv(discount_rate=-0.1)


def test_probability_alive_of_a_repeater_is_below_one_and_keeps_the_index():
    result = _clv()

    assert 0.0 < result.loc["C1", "probability_alive"] < 1.0
    assert result.index.name == "customer_id"
