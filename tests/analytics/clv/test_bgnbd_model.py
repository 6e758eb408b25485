import math

import numpy as np
import pytest

from analytics.clv.bgnbd import (
    BgNbdParams,
    bgnbd_conditional_expected_purchases,
    bgnbd_expected_purchases_new_customer,
    bgnbd_fit,
    bgnbd_log_likelihood,
    bgnbd_probability_alive,
)

# The published CDNOW fit (weeks), used as fixed parameters for hand checks.
PARAMS = BgNbdParams(
    r=0.243, alpha=4.414, a=0.793, b=2.426, log_likelihood=float("nan"),
    n_customers=0, converged=True, iterations=0, message="",
)  # fmt: skip


def _hyp2f1_series(a: float, b: float, c: float, z: float, terms: int = 2000) -> float:
    """2F1 by its defining power series, independent of scipy."""
    total, term = 1.0, 1.0
    for k in range(terms):
        term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z
        total += term
    return total


def test_a_customer_who_never_repurchased_is_alive_with_probability_1():
    assert bgnbd_probability_alive(PARAMS, [0], [0.0], [38.86]).tolist() == [1.0]


def test_probability_alive_matches_the_formula_by_hand():
    x, t_x, big_t = 2, 30.43, 38.86
    odds = 0.793 / (2.426 + x - 1) * ((4.414 + big_t) / (4.414 + t_x)) ** (0.243 + x)

    assert bgnbd_probability_alive(PARAMS, x, t_x, big_t) == pytest.approx(1 / (1 + odds))


def test_a_long_silence_after_many_purchases_makes_a_customer_probably_gone():
    recent, silent = bgnbd_probability_alive(PARAMS, [10, 10], [38.0, 5.0], [38.86, 38.86])

    assert recent > 0.9
    assert silent < 0.01


def test_expected_purchases_match_equation_10_by_hand():
    x, t_x, big_t, t = 2, 30.43, 38.86, 39.0
    r, alpha, a, b = 0.243, 4.414, 0.793, 2.426
    hyp = _hyp2f1_series(r + x, b + x, a + b + x - 1, t / (alpha + big_t + t))
    numerator = (
        (a + b + x - 1) / (a - 1) * (1 - ((alpha + big_t) / (alpha + big_t + t)) ** (r + x) * hyp)
    )
    odds = a / (b + x - 1) * ((alpha + big_t) / (alpha + t_x)) ** (r + x)

    expected = bgnbd_conditional_expected_purchases(PARAMS, t, x, t_x, big_t)

    assert expected == pytest.approx(numerator / (1 + odds), rel=1e-9)


def test_a_brand_new_customer_expects_what_the_unconditional_model_says():
    horizons = np.array([1.0, 10.0, 52.0])

    conditional = bgnbd_conditional_expected_purchases(PARAMS, horizons, 0, 0.0, 0.0)

    np.testing.assert_allclose(
        conditional, bgnbd_expected_purchases_new_customer(PARAMS, horizons), rtol=1e-10
    )


def test_expected_purchases_start_at_zero_and_grow_with_the_horizon():
    horizons = np.array([0.0, 1.0, 10.0, 100.0])

    expected = bgnbd_conditional_expected_purchases(PARAMS, horizons, 3, 20.0, 30.0)

    assert expected[0] == 0.0
    assert np.all(np.diff(expected) > 0)


def test_log_likelihood_of_a_non_repeater_is_the_closed_form():
    # x = 0: L = Γ(r)α^r/Γ(r) · B(a, b)/B(a, b) · (α + T)^−r  =  (α / (α + T))^r
    expected = 0.243 * math.log(4.414 / (4.414 + 10.0))

    assert bgnbd_log_likelihood((0.243, 4.414, 0.793, 2.426), [0], [0.0], [10.0]) == (
        pytest.approx(expected)
    )


def test_fit_recovers_parameters_of_simulated_customers():
    rng = np.random.default_rng(2024)
    n, big_t = 4000, 52.0
    r, alpha, a, b = 0.5, 5.0, 0.8, 3.0
    rates = rng.gamma(r, 1 / alpha, n)
    dropout = rng.beta(a, b, n)
    x = np.zeros(n)
    t_x = np.zeros(n)
    for i in range(n):
        t = 0.0
        while True:
            t += rng.exponential(1 / rates[i])
            if t > big_t:
                break
            x[i] += 1
            t_x[i] = t
            if rng.random() < dropout[i]:
                break

    fit = bgnbd_fit(x, t_x, np.full(n, big_t))

    assert fit.converged
    assert fit.r == pytest.approx(r, rel=0.2)
    assert fit.alpha == pytest.approx(alpha, rel=0.3)


def test_fit_rejects_impossible_summaries():
    with pytest.raises(ValueError, match="recency"):
        bgnbd_fit([1], [5.0], [3.0])
    with pytest.raises(ValueError, match="frequency 0"):
        bgnbd_fit([0], [1.0], [3.0])
    with pytest.raises(ValueError, match="zero customers"):
        bgnbd_fit([], [], [])


def test_analytic_gradient_matches_finite_differences():
    from analytics.clv.bgnbd import _log_likelihood_and_gradient

    x = np.array([0.0, 1.0, 4.0, 12.0])
    t_x = np.array([0.0, 3.0, 20.0, 35.0])
    big_t = np.array([10.0, 30.0, 38.0, 39.0])
    params = np.array([0.4, 5.0, 0.9, 2.5])
    _, gradient = _log_likelihood_and_gradient(params, x, t_x, big_t)

    for i in range(4):
        step = np.zeros(4)
        step[i] = 1e-6 * params[i]
        numeric = (
            bgnbd_log_likelihood(tuple(params + step), x, t_x, big_t)
            - bgnbd_log_likelihood(tuple(params - step), x, t_x, big_t)
        ) / (2 * step[i])
        assert gradient[i].sum() == pytest.approx(numeric, rel=1e-5)
