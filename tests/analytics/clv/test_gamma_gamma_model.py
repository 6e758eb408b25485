import numpy as np
import pytest

from analytics.clv.gamma_gamma import (
    GammaGammaParams,
    gamma_gamma_conditional_expected_spend,
    gamma_gamma_fit,
    gamma_gamma_log_likelihood,
)

PARAMS = GammaGammaParams(
    p=6.25, q=3.74, gamma=15.44, log_likelihood=float("nan"),
    n_customers=0, converged=True, iterations=0, message="",
)  # fmt: skip


def test_expected_spend_shrinks_a_customers_mean_towards_the_population_mean():
    # 6.25 × (15.44 + 2 × 20) / (6.25 × 2 + 3.74 − 1)
    expected = 6.25 * 55.44 / 15.24

    assert gamma_gamma_conditional_expected_spend(PARAMS, 2, 20.0) == pytest.approx(expected)


def test_a_customer_without_repeat_purchases_gets_the_population_mean_spend():
    population = 6.25 * 15.44 / 2.74

    assert gamma_gamma_conditional_expected_spend(PARAMS, 0, 0.0) == pytest.approx(population)
    assert PARAMS.population_mean_spend == pytest.approx(population)


def test_log_likelihood_ignores_customers_without_repeat_purchases():
    with_non_repeaters = gamma_gamma_log_likelihood((6.25, 3.74, 15.44), [0, 2, 0], [0.0, 20.0, 0])

    assert with_non_repeaters == gamma_gamma_log_likelihood((6.25, 3.74, 15.44), [2], [20.0])


def test_fit_recovers_the_mean_spend_of_simulated_customers():
    rng = np.random.default_rng(11)
    p, q, gamma = 6.0, 4.0, 15.0
    n = 3000
    nu = rng.gamma(q, 1 / gamma, n)
    x = rng.integers(1, 8, n)
    means = np.array([rng.gamma(p, 1 / nu[i], x[i]).mean() for i in range(n)])

    fit = gamma_gamma_fit(x, means)

    assert fit.converged
    assert fit.population_mean_spend == pytest.approx(p * gamma / (q - 1), rel=0.1)


def test_fit_without_repeat_customers_is_refused():
    with pytest.raises(ValueError, match="purchased again"):
        gamma_gamma_fit([0, 0], [0.0, 0.0])


def test_analytic_gradient_matches_finite_differences():
    from analytics.clv.gamma_gamma import _gradient

    x = np.array([1.0, 2.0, 7.0])
    m = np.array([12.0, 30.5, 18.0])
    params = np.array([6.0, 3.5, 15.0])
    gradient = _gradient(params, x, m)

    for i in range(3):
        step = np.zeros(3)
        step[i] = 1e-6 * params[i]
        numeric = (
            gamma_gamma_log_likelihood(tuple(params + step), x, m)
            - gamma_gamma_log_likelihood(tuple(params - step), x, m)
        ) / (2 * step[i])
        assert gradient[i] == pytest.approx(numeric, rel=1e-5)
