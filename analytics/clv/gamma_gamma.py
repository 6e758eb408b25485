"""Gamma-Gamma model of spend per transaction (Fader & Hardie, 2013).

A customer's transaction values are Gamma(p, ν) around their mean p/ν, and ν ~ Gamma(q, γ)
across customers. Fitted on customers with at least one repeat purchase: x = number of repeat
purchase days, m = their mean value. Assumes spend is independent of purchase frequency.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize
from scipy.special import digamma, gammaln
from threadpoolctl import threadpool_limits

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class GammaGammaParams:
    """Fitted Gamma-Gamma parameters (γ is ``gamma``), the log-likelihood and optimiser outcome."""

    p: float
    q: float
    gamma: float
    log_likelihood: float
    n_customers: int
    converged: bool
    iterations: int
    message: str

    @property
    def population_mean_spend(self) -> float | None:
        """E[spend per transaction] across customers, pγ/(q−1); infinite mean when q ≤ 1."""
        return self.p * self.gamma / (self.q - 1) if self.q > 1 else None


def _per_customer_log_likelihood(
    params: tuple[float, float, float] | FloatArray, x: FloatArray, m: FloatArray
) -> FloatArray:
    p, q, gamma = params
    px = p * x
    return (
        gammaln(px + q)
        - gammaln(px)
        - gammaln(q)
        + q * np.log(gamma)
        + (px - 1) * np.log(m)
        + px * np.log(x)
        - (px + q) * np.log(gamma + m * x)
    )


def _repeaters(frequency: ArrayLike, monetary_value: ArrayLike) -> tuple[FloatArray, FloatArray]:
    x = np.asarray(frequency, dtype="float64")
    m = np.asarray(monetary_value, dtype="float64")
    if x.shape != m.shape:
        raise ValueError("frequency and monetary_value must have the same length")
    # The model describes repeat spend: customers without a repeat (or with a free one) carry
    # no information about it and would make log(m) undefined.
    keep = (x > 0) & (m > 0)
    return x[keep], m[keep]


def _gradient(params: FloatArray, x: FloatArray, m: FloatArray) -> FloatArray:
    """Gradient of the summed log-likelihood in (p, q, γ), via digamma."""
    p, q, gamma = params
    px = p * x
    log_gamma_mx = np.log(gamma + m * x)
    common = digamma(px + q)
    d_p = np.sum(x * (common - digamma(px) + np.log(m) + np.log(x) - log_gamma_mx))
    d_q = np.sum(common - digamma(q) + np.log(gamma) - log_gamma_mx)
    d_gamma = np.sum(q / gamma - (px + q) / (gamma + m * x))
    return np.array([d_p, d_q, d_gamma])


def gamma_gamma_log_likelihood(
    params: tuple[float, float, float], frequency: ArrayLike, monetary_value: ArrayLike
) -> float:
    """Total log-likelihood of (p, q, γ) over the customers with frequency > 0 and spend > 0."""
    x, m = _repeaters(frequency, monetary_value)
    return float(np.sum(_per_customer_log_likelihood(params, x, m)))


@threadpool_limits.wrap(limits=1)  # one thread: see analytics.clv
def gamma_gamma_fit(
    frequency: ArrayLike,
    monetary_value: ArrayLike,
    *,
    initial: tuple[float, float, float] = (1.0, 1.0, 1.0),
) -> GammaGammaParams:
    """Fit Gamma-Gamma by maximum likelihood on log-parameters; non-repeaters are ignored."""
    x, m = _repeaters(frequency, monetary_value)
    if x.size == 0:
        raise ValueError("cannot fit Gamma-Gamma without customers who purchased again")
    n = float(x.size)

    def objective(log_params: FloatArray) -> tuple[float, FloatArray]:
        # Mean negative log-likelihood with its exact gradient (see bgnbd_fit for why).
        params = np.exp(log_params)
        value = -float(np.sum(_per_customer_log_likelihood(params, x, m))) / n
        gradient = -_gradient(params, x, m) / n * params
        if not np.isfinite(value) or not np.all(np.isfinite(gradient)):
            return 1e300, np.zeros(3)
        return value, gradient

    final = optimize.minimize(
        objective,
        np.log(np.asarray(initial, dtype="float64")),
        jac=True,
        method="L-BFGS-B",
        bounds=[(-20.0, 20.0)] * 3,
        options={"maxiter": 5000, "ftol": 1e-15, "gtol": 1e-10},
    )
    p, q, gamma = (float(v) for v in np.exp(final.x))
    return GammaGammaParams(
        p=p,
        q=q,
        gamma=gamma,
        log_likelihood=-float(final.fun) * n,
        n_customers=int(n),
        converged=bool(final.success),
        iterations=int(final.nit),
        message=str(final.message),
    )


def gamma_gamma_conditional_expected_spend(
    params: GammaGammaParams, frequency: ArrayLike, monetary_value: ArrayLike
) -> FloatArray:
    """E[spend per transaction | x, m̄]: a weighted mean of the population mean and m̄.

    (p(γ + x·m̄)) / (p·x + q − 1); for x = 0 this is the population mean pγ/(q−1), so
    customers without a repeat purchase still get a sensible expected spend.
    """
    x = np.asarray(frequency, dtype="float64")
    m = np.asarray(monetary_value, dtype="float64")
    p, q, gamma = params.p, params.q, params.gamma
    if q <= 1:
        raise ValueError("q <= 1: the expected spend is infinite; the fit is not usable")
    return p * (gamma + x * m) / (p * x + q - 1)
