"""BG/NBD model of repeat purchasing (Fader, Hardie & Lee, Marketing Science 2005).

While alive a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after each purchase
they drop out with probability p ~ Beta(a, b). Fitted by maximum likelihood on the per-customer
summary (x = frequency, t_x = recency, T) from :mod:`analytics.clv.summary`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize
from scipy.special import betaln, digamma, gammaln, hyp2f1
from threadpoolctl import threadpool_limits

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class BgNbdParams:
    """Fitted BG/NBD parameters, the total log-likelihood and how the optimiser ended."""

    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float
    n_customers: int
    converged: bool
    iterations: int
    message: str


def _as_arrays(*values: ArrayLike) -> tuple[FloatArray, ...]:
    return tuple(np.asarray(v, dtype="float64") for v in values)


def _validate_summary(x: FloatArray, t_x: FloatArray, big_t: FloatArray) -> None:
    if np.any(x < 0) or np.any(t_x < 0) or np.any(t_x > big_t + 1e-9):
        raise ValueError("need frequency >= 0 and 0 <= recency <= T for every customer")
    if np.any((x == 0) & (t_x != 0)):
        raise ValueError("a customer with frequency 0 must have recency 0")


def bgnbd_log_likelihood(
    params: tuple[float, float, float, float],
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,
    weights: ArrayLike | None = None,
) -> float:
    """Total log-likelihood of (r, α, a, b) for the customers given; equation (6) of the paper.

    Computed in log space (gammaln/betaln, logaddexp) so that large frequencies do not overflow.
    """
    x, t_x, big_t = _as_arrays(frequency, recency, T)
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype="float64")
    return float(np.dot(w, _per_customer_log_likelihood(params, x, t_x, big_t)))


def _per_customer_log_likelihood(
    params: tuple[float, float, float, float] | FloatArray,
    x: FloatArray,
    t_x: FloatArray,
    big_t: FloatArray,
) -> FloatArray:
    r, alpha, a, b = params
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = betaln(a, b + x) - betaln(a, b)
    a3 = -(r + x) * np.log(alpha + big_t)
    has_repeat = x > 0
    # The drop-out-after-the-last-purchase branch only exists for customers with a repeat;
    # b + x - 1 > 0 there, and the log of 0 elsewhere is masked out by -inf.
    with np.errstate(divide="ignore", invalid="ignore"):
        a4 = np.where(
            has_repeat,
            np.log(a) - np.log(b + x - 1) - (r + x) * np.log(alpha + t_x),
            -np.inf,
        )
    return a1 + a2 + np.logaddexp(a3, a4)


def _log_likelihood_and_gradient(
    params: FloatArray, x: FloatArray, t_x: FloatArray, big_t: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Per-customer log-likelihood and its (4, n) gradient in (r, α, a, b), via digamma."""
    r, alpha, a, b = params
    ll = _per_customer_log_likelihood(params, x, t_x, big_t)
    has_repeat = x > 0
    log_alpha_t = np.log(alpha + big_t)
    a3 = -(r + x) * log_alpha_t
    with np.errstate(divide="ignore", invalid="ignore"):
        log_alpha_tx = np.log(alpha + t_x)
        a4 = np.where(has_repeat, np.log(a) - np.log(b + x - 1) - (r + x) * log_alpha_tx, -np.inf)
        b_x_1 = np.where(has_repeat, b + x - 1, 1.0)
    # Posterior weight of "dropped out after the last purchase" in log(e^A3 + e^A4).
    w4 = np.exp(a4 - np.logaddexp(a3, a4))
    w3 = 1.0 - w4
    d_r = digamma(r + x) - digamma(r) + np.log(alpha) - w3 * log_alpha_t - w4 * log_alpha_tx
    d_alpha = r / alpha - w3 * (r + x) / (alpha + big_t) - w4 * (r + x) / (alpha + t_x)
    d_a = digamma(a + b) - digamma(a + b + x) + w4 / a
    d_b = digamma(b + x) - digamma(a + b + x) - digamma(b) + digamma(a + b) - w4 / b_x_1
    return ll, np.vstack([d_r, d_alpha, d_a, d_b])


class _Histories:
    """Distinct (x, t_x, T) histories with their weights, and each column's distinct values.

    Every parameter-dependent special function (gammaln, betaln, digamma of r + x, b + x, …)
    and log(α + T), log(α + t_x) is computed once per distinct value and gathered, so an
    evaluation costs a few hundred special-function calls, not several per customer; the
    gathered numbers are the very ones a per-row computation gives.
    """

    def __init__(self, x: FloatArray, t_x: FloatArray, big_t: FloatArray) -> None:
        # np.unique(…, axis=0) in effect — rows sorted by x, then t_x, then T — by a lexsort
        # of the three columns, several times faster than sorting the rows as records.
        order = np.lexsort((big_t, t_x, x))
        columns = [c[order] for c in (x, t_x, big_t)]
        same = np.zeros(len(order), dtype=bool)  # as the row before it
        same[1:] = True
        for c in columns:
            same[1:] &= c[1:] == c[:-1]
        starts = np.flatnonzero(~same)
        self.x, self.t_x, self.big_t = (c[starts] for c in columns)
        self.weights = np.diff(np.r_[starts, len(order)]).astype("float64")
        self.xs, self.x_at = np.unique(self.x, return_inverse=True)
        self.ts, self.t_at = np.unique(self.big_t, return_inverse=True)
        self.txs, self.tx_at = np.unique(self.t_x, return_inverse=True)
        self.has_repeat = self.x > 0
        self.repeat_x = np.where(self.xs > 0, self.xs, 1.0)  # b + x − 1 > 0 where used

    def log_likelihood_and_gradient(self, params: FloatArray) -> tuple[FloatArray, FloatArray]:
        """As _log_likelihood_and_gradient on the distinct histories, from the gathered terms."""
        r, alpha, a, b = params
        x, xs, at = self.x, self.xs, self.x_at
        a1 = (gammaln(r + xs) - gammaln(r) + r * np.log(alpha))[at]
        a2 = (betaln(a, b + xs) - betaln(a, b))[at]
        log_alpha_t = np.log(alpha + self.ts)[self.t_at]
        log_alpha_tx = np.log(alpha + self.txs)[self.tx_at]
        r_x = r + x
        a3 = -r_x * log_alpha_t
        with np.errstate(divide="ignore", invalid="ignore"):
            log_b_x_1 = np.log(b + xs - 1)[at]
            a4 = np.where(self.has_repeat, np.log(a) - log_b_x_1 - r_x * log_alpha_tx, -np.inf)
        both = np.logaddexp(a3, a4)
        ll = a1 + a2 + both
        w4 = np.exp(a4 - both)
        w3 = 1.0 - w4
        b_x_1 = np.where(self.has_repeat, (b + self.repeat_x - 1)[at], 1.0)
        d_r = (digamma(r + xs) - digamma(r) + np.log(alpha))[at] - w3 * log_alpha_t
        d_r -= w4 * log_alpha_tx
        d_alpha = r / alpha - w3 * r_x / (alpha + self.big_t) - w4 * r_x / (alpha + self.t_x)
        d_ab_x = digamma(a + b + xs)
        d_a = (digamma(a + b) - d_ab_x)[at] + w4 / a
        d_b = (digamma(b + xs) - d_ab_x - digamma(b) + digamma(a + b))[at] - w4 / b_x_1
        return ll, np.vstack([d_r, d_alpha, d_a, d_b])


@threadpool_limits.wrap(limits=1)  # one thread: see analytics.clv
def bgnbd_fit(
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,
    *,
    initial: tuple[float, float, float, float] | None = None,
) -> BgNbdParams:
    """Fit BG/NBD by maximum likelihood; L-BFGS-B on log-parameters (so they stay > 0).

    Identical (x, t_x, T) triples are collapsed into weights first, which makes each likelihood
    evaluation proportional to the number of *distinct* histories rather than customers.
    """
    x, t_x, big_t = _as_arrays(frequency, recency, T)
    if x.size == 0:
        raise ValueError("cannot fit BG/NBD on zero customers")
    _validate_summary(x, t_x, big_t)
    histories = _Histories(x, t_x, big_t)
    w = histories.weights
    n = float(w.sum())

    def objective(log_params: FloatArray) -> tuple[float, FloatArray]:
        # Mean negative log-likelihood and its exact gradient: a scale-free objective keeps
        # tolerances meaningful whatever the number of customers, and the analytic gradient
        # saves the 4 extra evaluations per step a numerical one costs.
        params = np.exp(log_params)
        ll, grad = histories.log_likelihood_and_gradient(params)
        value = -float(np.dot(w, ll)) / n
        gradient = -(grad @ w) / n * params  # chain rule for the log scale
        if not np.isfinite(value) or not np.all(np.isfinite(gradient)):
            return 1e300, np.zeros(4)
        return value, gradient

    # Start α at the mean age so the same start works whether T is in days or weeks.
    starts = [np.log([1.0, max(float(np.mean(big_t)), 1e-3), 1.0, 1.0])]
    if initial is not None:
        starts.insert(0, np.log(np.asarray(initial, dtype="float64")))
    final = None
    iterations = 0
    for start in starts:
        result = optimize.minimize(
            objective,
            start,
            jac=True,
            method="L-BFGS-B",
            bounds=[(-20.0, 20.0)] * 4,
            options={"maxiter": 2000, "ftol": 1e-15, "gtol": 1e-10},
        )
        iterations += int(result.nit)
        if final is None or result.fun < final.fun:
            final = result
    assert final is not None
    r, alpha, a, b = (float(v) for v in np.exp(final.x))
    return BgNbdParams(
        r=r,
        alpha=alpha,
        a=a,
        b=b,
        log_likelihood=-float(final.fun) * n,
        n_customers=int(n),
        converged=bool(final.success),
        iterations=iterations,
        message=str(final.message),
    )


def bgnbd_probability_alive(
    params: BgNbdParams, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
) -> FloatArray:
    """P(customer still alive at T | x, t_x, T): equation (A.4 / 11); 1 for frequency 0.

    Under BG/NBD a customer can only drop out right after a purchase, so one who never
    repurchased is certainly alive.
    """
    x, t_x, big_t = _as_arrays(frequency, recency, T)
    return 1.0 / (1.0 + _dropout_odds(params, x, t_x, big_t))


def _dropout_odds(
    params: BgNbdParams, x: FloatArray, t_x: FloatArray, big_t: FloatArray
) -> FloatArray:
    """a/(b+x−1) · ((α+T)/(α+t_x))^(r+x) for x > 0 and 0 otherwise, via logs to avoid overflow."""
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    with np.errstate(divide="ignore", invalid="ignore"):
        log_odds = (
            np.log(a) - np.log(b + x - 1) + (r + x) * (np.log(alpha + big_t) - np.log(alpha + t_x))
        )
    return np.where(x > 0, np.exp(np.minimum(log_odds, 700.0)), 0.0)


def bgnbd_conditional_expected_purchases(
    params: BgNbdParams,
    t: float | ArrayLike,
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,
) -> FloatArray:
    """Expected purchases in the next ``t`` time units given each customer's history; eq. (10).

    Uses the Gaussian hypergeometric function 2F1(r+x, b+x; a+b+x−1; t/(α+T+t)).
    """
    x, t_x, big_t = _as_arrays(frequency, recency, T)
    horizon = np.asarray(t, dtype="float64")
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    z = horizon / (alpha + big_t + horizon)
    hyp = hyp2f1(r + x, b + x, a + b + x - 1, z)
    ratio = np.exp((r + x) * (np.log(alpha + big_t) - np.log(alpha + big_t + horizon)))
    numerator = (a + b + x - 1) / (a - 1) * (1.0 - ratio * hyp)
    return numerator / (1.0 + _dropout_odds(params, x, t_x, big_t))


def bgnbd_expected_purchases_new_customer(params: BgNbdParams, t: float | ArrayLike) -> FloatArray:
    """E[X(t)] for a customer just acquired; equation (9). Used to sanity-check fits."""
    horizon = np.asarray(t, dtype="float64")
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    z = horizon / (alpha + horizon)
    return (
        (a + b - 1)
        / (a - 1)
        * (1.0 - (alpha / (alpha + horizon)) ** r * hyp2f1(r, b, a + b - 1, z))
    )
