"""Significance of the change of the overall index and the dimension indexes between two periods
(pure computation).

The indexes are weighted means of the indicators' 0–100 scores (analytics.metrics.scorecard).
Each indicator with a 95% interval (a sampled one: rates, NPS, CES, average CLV) gets a
standard error of its *score*: the interval's ends are scored and

    se(score) = |score(high) − score(low)| ÷ (2 × 1.96)

— the delta method where the score is linear in the value (slope 100 ÷ span), and honest at the
target's kink (an interval wholly above the target scores 100 at both ends: no error).
Indicators are taken as independent, so

    Var(dimension) = Σ (wᵢ ÷ W)² · se(scoreᵢ)²     over the indicators with a score
    Var(index)     = Σ dⱼ² · Var(dimensionⱼ)          dⱼ the normalised dimension weights

and the change current − previous is tested with a two-sided z-test, z = Δ ÷ √(Var₁ + Var₀).
Indicators without a sampling error (CLV change, the median first-response time) add none:
the test covers the sampled indicators only. Without any sampling error in either period there
is no test (None)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scipy.stats import norm

from analytics.metrics.scorecard import (
    STANDARD_INDICATORS,
    Dimension,
    IndicatorInput,
    indicator_evaluate,
)
from analytics.metrics.stats import Z_95

SIGNIFICANCE_LEVEL = 0.05


@dataclass(frozen=True)
class ScoredIndicator:
    """One indicator of a period as the snapshot keeps it, with its 95% interval (or None)."""

    code: str
    value: float | None
    target: float
    weight: float
    interval: tuple[float, float] | None = None
    tolerance: float | None = None


@dataclass(frozen=True)
class IndexVariance:
    """Variances of the overall index and of each dimension's index (None without an index),
    and how many indicators with a sampling error entered each."""

    overall: float | None
    dimensions: dict[str, float | None]
    sampled: dict[str, int]


@dataclass(frozen=True)
class IndexChangeTest:
    difference: float
    standard_error: float
    z: float
    p_value: float

    @property
    def significant(self) -> bool:
        return self.p_value < SIGNIFICANCE_LEVEL


def _score(indicator: ScoredIndicator, value: float) -> float | None:
    return indicator_evaluate(
        IndicatorInput(code=indicator.code, value=value, target=indicator.target,
                       weight=indicator.weight, tolerance=indicator.tolerance)
    ).score  # fmt: skip


def score_standard_error(indicator: ScoredIndicator) -> float | None:
    """The standard error of an indicator's score from its 95% interval (None without one)."""
    if indicator.value is None or indicator.interval is None:
        return None
    low, high = indicator.interval
    return abs(_score(indicator, high) - _score(indicator, low)) / (2 * Z_95)


def index_variance(
    indicators: Sequence[ScoredIndicator], dimension_weights: Mapping[str, float | None]
) -> IndexVariance:
    """Variances of the dimension indexes and the overall index of one period.

    `dimension_weights`: each dimension's normalised share of the overall index (the
    snapshot's, None for a dimension without data); indicators of standard codes only."""
    variances: dict[str, float | None] = {}
    sampled: dict[str, int] = {}
    for dimension in Dimension:
        members = [
            i for i in indicators
            if STANDARD_INDICATORS[i.code][0] is dimension and i.value is not None
        ]  # fmt: skip
        total = sum(i.weight for i in members)
        if total <= 0:
            variances[dimension.value], sampled[dimension.value] = None, 0
            continue
        errors = [(i.weight, score_standard_error(i)) for i in members]
        known = [(w, se) for w, se in errors if se is not None and w > 0]
        variances[dimension.value] = sum((w / total) ** 2 * se**2 for w, se in known)
        sampled[dimension.value] = len(known)
    parts = [
        (dimension_weights.get(code), var)
        for code, var in variances.items()
        if var is not None and dimension_weights.get(code)
    ]
    overall = sum(w**2 * var for w, var in parts) if parts else None
    return IndexVariance(overall, variances, sampled)


def index_change_test(
    current: float | None,
    previous: float | None,
    variance_current: float | None,
    variance_previous: float | None,
) -> IndexChangeTest | None:
    """Two-sided z-test of current − previous; None when either index or variance is missing
    or neither period has any sampling error (nothing to test against)."""
    if None in (current, previous, variance_current, variance_previous):
        return None
    variance = variance_current + variance_previous
    if variance <= 0:
        return None
    difference = float(current) - float(previous)
    se = math.sqrt(variance)
    z = difference / se
    return IndexChangeTest(difference, se, z, float(2.0 * norm.sf(abs(z))))
