"""CSAT on 1–5 from a score histogram (as SQL ``GROUP BY score`` gives it) and its change test."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from analytics.metrics.stats import (
    DifferenceTest,
    empty_test,
    histogram_mean,
    score_histogram,
    z_test,
)
from surveys.scoring.rules import CSAT_SCALE, csat_satisfied


@dataclass(frozen=True)
class CsatResult:
    """CSAT: top-2-box share (% of 4 and 5), mean score and n; None values when n = 0."""

    top2_share: float | None
    mean: float | None
    n: int
    top2: int


def csat(counts: Mapping[int, int]) -> CsatResult:
    """CSAT from a {score 1–5: count} histogram."""
    histogram = score_histogram(counts, *CSAT_SCALE, "CSAT")
    n = sum(histogram.values())
    top2 = sum(count for score, count in histogram.items() if csat_satisfied(score))
    return CsatResult(
        top2_share=100.0 * top2 / n if n else None,
        mean=histogram_mean(histogram, n),
        n=n,
        top2=top2,
    )


def csat_change_test(*, current: CsatResult, previous: CsatResult) -> DifferenceTest:
    """Is a change in top-2-box share real? Two-proportion z-test with the pooled proportion.

    The difference is in percentage points; ``small_sample`` when either n < 30.
    """
    if current.n == 0 or previous.n == 0:
        return empty_test(n_current=current.n, n_previous=previous.n)
    pooled = (current.top2 + previous.top2) / (current.n + previous.n)
    standard_error = math.sqrt(pooled * (1.0 - pooled) * (1.0 / current.n + 1.0 / previous.n))
    difference = current.top2 / current.n - previous.top2 / previous.n
    return z_test(
        difference,
        standard_error,
        n_current=current.n,
        n_previous=previous.n,
        scale=100.0,
    )
