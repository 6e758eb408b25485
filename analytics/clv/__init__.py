"""Probabilistic customer-lifetime-value models (BG/NBD + Gamma-Gamma), pure numpy/scipy/pandas.

Nothing here imports Django: callers pass transaction frames or per-customer summaries in and
get numbers or frames back, so the models can be tested and benchmarked alone.

The fits (and the churn model's) run on one BLAS/OpenMP thread: their vectors are too short
to gain from more, and on a busy machine threads waiting for each other cost far more than
the work — an L-BFGS step of four parameters took milliseconds instead of microseconds.
"""

from analytics.clv.bgnbd import (
    BgNbdParams,
    bgnbd_conditional_expected_purchases,
    bgnbd_fit,
    bgnbd_log_likelihood,
    bgnbd_probability_alive,
)
from analytics.clv.gamma_gamma import (
    GammaGammaParams,
    gamma_gamma_conditional_expected_spend,
    gamma_gamma_fit,
    gamma_gamma_log_likelihood,
)
from analytics.clv.summary import TimeUnit, customer_summary
from analytics.clv.value import clv_probabilistic, clv_simple

__all__ = [
    "BgNbdParams",
    "GammaGammaParams",
    "TimeUnit",
    "bgnbd_conditional_expected_purchases",
    "bgnbd_fit",
    "bgnbd_log_likelihood",
    "bgnbd_probability_alive",
    "clv_probabilistic",
    "clv_simple",
    "customer_summary",
    "gamma_gamma_conditional_expected_spend",
    "gamma_gamma_fit",
    "gamma_gamma_log_likelihood",
]
