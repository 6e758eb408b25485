"""Customer lifetime value, two ways: the simple formula and BG/NBD × Gamma-Gamma.

CLV here is *margin* over a horizon (revenue × margin), not revenue, so that it can be compared
with what a retention action costs.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analytics.clv.bgnbd import (
    BgNbdParams,
    bgnbd_conditional_expected_purchases,
    bgnbd_probability_alive,
)
from analytics.clv.gamma_gamma import GammaGammaParams, gamma_gamma_conditional_expected_spend


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


def clv_probabilistic(
    summary: pd.DataFrame,
    *,
    bgnbd: BgNbdParams,
    gamma_gamma: GammaGammaParams,
    horizon: float,
    margin: float,
    discount_rate: float = 0.0,
    period_length: float | None = None,
) -> pd.DataFrame:
    """Per-customer CLV = expected purchases over ``horizon`` × expected spend × margin.

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
    x = summary["frequency"].to_numpy(dtype="float64")
    t_x = summary["recency"].to_numpy(dtype="float64")
    big_t = summary["T"].to_numpy(dtype="float64")
    spend = gamma_gamma_conditional_expected_spend(
        gamma_gamma, x, summary["monetary_value"].to_numpy(dtype="float64")
    )
    purchases = bgnbd_conditional_expected_purchases(bgnbd, horizon, x, t_x, big_t)

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
            "probability_alive": bgnbd_probability_alive(bgnbd, x, t_x, big_t),
            "expected_purchases": purchases,
            "expected_spend": spend,
            "clv": value_purchases * spend * margin,
        },
        index=summary.index,
    )
