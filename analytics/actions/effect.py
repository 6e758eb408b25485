"""Did an indicator move after an action? Two-proportion z-test for shares (pure; the NPS and
CSAT tests of analytics.metrics are used for those two)."""

from __future__ import annotations

import math

from analytics.metrics.stats import DifferenceTest, empty_test, z_test


def two_proportion_test(*, hits: int, n: int, hits_before: int, n_before: int) -> DifferenceTest:
    """z-test of hits/n − hits_before/n_before with the pooled proportion; in percentage points."""
    if n == 0 or n_before == 0:
        return empty_test(n_current=n, n_previous=n_before)
    pooled = (hits + hits_before) / (n + n_before)
    error = math.sqrt(pooled * (1.0 - pooled) * (1.0 / n + 1.0 / n_before))
    return z_test(hits / n - hits_before / n_before, error, n_current=n, n_previous=n_before,
                  scale=100.0)  # fmt: skip
