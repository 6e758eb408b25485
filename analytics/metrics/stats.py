"""Small statistical helpers shared by the metric modules (normal-approximation tests)."""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass

from scipy.stats import norm

# The 95% normal quantile as PRODUCT.md writes it; 1.959964 would change nothing visible.
Z_95 = 1.96

# Below this many responses in either sample the normal approximation is shaky: flag, don't hide.
SMALL_SAMPLE = 30


@dataclass(frozen=True)
class DifferenceTest:
    """Outcome of a two-sample z-test of ``current − previous`` (difference in display units).

    ``difference``, ``z`` and ``p_value`` are None when either sample is empty.
    """

    difference: float | None
    z: float | None
    p_value: float | None
    n_current: int
    n_previous: int
    small_sample: bool


def z_test(
    difference: float, standard_error: float, *, n_current: int, n_previous: int, scale: float
) -> DifferenceTest:
    """Two-sided z-test of a difference (in proportion units) with its standard error.

    A zero standard error means both samples are degenerate (e.g. all promoters): equal values
    are then "no evidence of change" (z = 0, p = 1), different ones certain (z = ±inf, p = 0).
    """
    if standard_error > 0:
        z = difference / standard_error
    elif math.isclose(difference, 0.0, abs_tol=1e-15):
        z = 0.0
    else:
        z = math.copysign(math.inf, difference)
    p_value = float(2.0 * norm.sf(abs(z)))
    return DifferenceTest(
        difference=difference * scale,
        z=z,
        p_value=p_value,
        n_current=n_current,
        n_previous=n_previous,
        small_sample=min(n_current, n_previous) < SMALL_SAMPLE,
    )


def empty_test(*, n_current: int, n_previous: int) -> DifferenceTest:
    """The result when either period has no responses: nothing to compare."""
    return DifferenceTest(None, None, None, n_current, n_previous, small_sample=True)


def check_count(name: str, value: int) -> None:
    """Counts come from SQL; a negative or fractional one means a bug upstream, so fail loudly."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")


def score_histogram(counts: Mapping[int, int], low: int, high: int, name: str) -> dict[int, int]:
    """Validate a {score: count} mapping; scores absent from it count 0."""
    histogram = dict.fromkeys(range(low, high + 1), 0)
    for score, count in counts.items():
        if score not in histogram:
            raise ValueError(f"{name} scores run from {low} to {high}, got {score!r}")
        check_count(f"count of score {score}", count)
        histogram[score] += int(count)
    return histogram


def histogram_mean(histogram: dict[int, int], n: int) -> float | None:
    """Mean score of a validated histogram with n answers; None when there are none."""
    return sum(score * count for score, count in histogram.items()) / n if n else None
