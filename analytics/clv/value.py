"""Customer lifetime value, two ways: the simple formula and BG/NBD × Gamma-Gamma.

CLV here is *margin* over a horizon (revenue × margin), not revenue, so that it can be compared
with what a retention action costs.
"""

from __future__ import annotations

import logging
import math

import numpy as np
import pandas as pd

from analytics.clv.bgnbd import (
    BgNbdParams,
    bgnbd_conditional_expected_purchases,
    bgnbd_probability_alive,
)
from analytics.clv.gamma_gamma import GammaGammaParams, gamma_gamma_conditional_expected_spend

logger = logging.getLogger(__name__)


def clv_simple(
    *,
    average_order_value: float,
    orders_per_year: float,
    lifespan_years: float,
    margin: float,
) -> float:
    """Simple CLV = average order value × orders per year × expected lifespan (years) × margin.

    ``margin`` is a fraction (0.3 for 30%). Easy to explain; ignores who is still active.
    """
    for name, value in (
        ("average_order_value", average_order_value),
        ("orders_per_year", orders_per_year),
        ("lifespan_years", lifespan_years),
    ):
        if value < 0:
            raise ValueError(f"{name} must be >= 0, got {value}")
    if not 0 <= margin <= 1:
        raise ValueError(f"margin must be a fraction between 0 and 1, got {margin}")
    return average_order_value * orders_per_year * lifespan_years * margin


def _columns(summary: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (
        summary["frequency"].to_numpy(dtype="float64"),
        summary["recency"].to_numpy(dtype="float64"),
        summary["T"].to_numpy(dtype="float64"),
    )


def probability_alive(summary: pd.DataFrame, bgnbd: BgNbdParams) -> np.ndarray:
    """P(alive) per customer; 1 where a degenerate fit gives no number."""
    x, t_x, big_t = _columns(summary)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        return np.nan_to_num(bgnbd_probability_alive(bgnbd, x, t_x, big_t), nan=1.0)


def expected_purchases(summary: pd.DataFrame, bgnbd: BgNbdParams, horizon: float) -> np.ndarray:
    """Purchases each customer is expected to make within ``horizon`` (the summary's unit).

    BG/NBD fitted on a handful of customers can diverge (parameters → ∞, 2F1 → NaN); where the
    model gives no finite answer, P(alive) × the customer's own repeat rate is used instead.
    """
    x, t_x, big_t = _columns(summary)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        expected = bgnbd_conditional_expected_purchases(bgnbd, horizon, x, t_x, big_t)
    finite = np.isfinite(expected)
    if finite.all():
        return expected
    logger.warning("BG/NBD gave no finite forecast for %s customers", int((~finite).sum()))
    naive = probability_alive(summary, bgnbd) * x / np.maximum(big_t, 1.0) * horizon
    return np.where(finite, expected, naive)


def clv_probabilistic(
    summary: pd.DataFrame,
    *,
    bgnbd: BgNbdParams,
    gamma_gamma: GammaGammaParams | None,
    horizon: float,
    margin: float,
    discount_rate: float = 0.0,
    period_length: float | None = None,
    fallback_spend: np.ndarray | None = None,
) -> pd.DataFrame:
    """Per-customer CLV = expected purchases over ``horizon`` × expected spend × margin.

    The one composition of the two models, used by the product's CLV runs, the tests and the
    benchmark. Without a Gamma-Gamma fit (too few repeat buyers) ``fallback_spend`` — e.g. each
    customer's own mean order value — is the expected spend.

    ``summary`` is the output of :func:`analytics.clv.summary.customer_summary`; ``horizon`` and
    ``period_length`` are in its time unit. With ``discount_rate`` > 0 the horizon is cut into
    periods of ``period_length`` (e.g. 4.345 weeks = a month); the purchases expected in period
    k are discounted by (1 + discount_rate)^k, k = 1, 2, … (a partial last period counts as a
    whole one). Returns probability_alive, expected_purchases, expected_spend and clv columns.
    """
    if horizon < 0:
        raise ValueError("horizon must be >= 0")
    if not 0 <= margin <= 1:
        raise ValueError(f"margin must be a fraction between 0 and 1, got {margin}")
    if discount_rate < 0:
        raise ValueError("discount_rate must be >= 0")
    x, t_x, big_t = _columns(summary)
    if gamma_gamma is not None:
        spend = gamma_gamma_conditional_expected_spend(
            gamma_gamma, x, summary["monetary_value"].to_numpy(dtype="float64")
        )
    elif fallback_spend is not None:
        spend = np.asarray(fallback_spend, dtype="float64")
    else:
        raise ValueError("without a Gamma-Gamma fit, give fallback_spend")
    purchases = expected_purchases(summary, bgnbd, horizon)

    if discount_rate > 0 and horizon > 0:
        if period_length is None or period_length <= 0:
            raise ValueError("discounting needs a positive period_length")
        steps = math.ceil(horizon / period_length - 1e-12)
        discounted = np.zeros_like(x)
        previous = np.zeros_like(x)
        for k in range(1, steps + 1):
            cumulative = bgnbd_conditional_expected_purchases(
                bgnbd, min(k * period_length, horizon), x, t_x, big_t
            )
            discounted += (cumulative - previous) / (1.0 + discount_rate) ** k
            previous = cumulative
        value_purchases = discounted
    else:
        value_purchases = purchases

    return pd.DataFrame(
        {
            "probability_alive": probability_alive(summary, bgnbd),
            "expected_purchases": purchases,
            "expected_spend": spend,
            "clv": np.nan_to_num(value_purchases * spend * margin),
        },
        index=summary.index,
    )
