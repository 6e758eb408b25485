"""The relationship-maintenance scorecard: indicators vs targets, four dimension indexes, one index.

Per indicator: value, previous value, target, direction, change (value − previous), a status
and a 0–100 attainment score:

- *shortfall* = how far the value is on the wrong side of the target (target − value when
  higher is better, value − target when lower is better);
- status ``met`` when shortfall ≤ 0, ``close`` when within the tolerance (default 5% of
  |target|), ``missed`` otherwise, ``no_data`` when the value is None;
- score = 100 × (1 − shortfall ÷ span), clipped to 0…100, where span defaults to |target|: a
  "higher" indicator at half its target scores 50; a "lower" one at twice its target scores 0.
  With a target of 0 and no span given, any shortfall scores 0.

Dimension index = weighted mean of its indicators' scores; overall index = weighted mean of the
dimension indexes with the admin's dimension weights, normalised to sum to 1. Indicators and
dimensions without data are left out and the remaining weights renormalised, so a missing
survey lowers coverage (visible in ``weight`` being None) rather than the index.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

DEFAULT_TOLERANCE = 0.05


class Dimension(StrEnum):
    """The four dimensions of PRODUCT.md, in display order."""

    SATISFACTION = "satisfaction"
    LOYALTY = "loyalty"
    VALUE_GROWTH = "value_growth"
    EXPERIENCE = "experience"


class Direction(StrEnum):
    """Whether a bigger value of an indicator is better or worse."""

    HIGHER = "higher"
    LOWER = "lower"


class Status(StrEnum):
    """How an indicator stands against its target."""

    MET = "met"
    CLOSE = "close"
    MISSED = "missed"
    NO_DATA = "no_data"


# The standard indicators of PRODUCT.md: code → (dimension, direction).
STANDARD_INDICATORS: dict[str, tuple[Dimension, Direction]] = {
    "nps": (Dimension.SATISFACTION, Direction.HIGHER),
    "csat": (Dimension.SATISFACTION, Direction.HIGHER),
    "repurchase_rate": (Dimension.LOYALTY, Direction.HIGHER),
    "retention_rate": (Dimension.LOYALTY, Direction.HIGHER),
    "promoter_share": (Dimension.LOYALTY, Direction.HIGHER),
    "clv": (Dimension.VALUE_GROWTH, Direction.HIGHER),
    "clv_change": (Dimension.VALUE_GROWTH, Direction.HIGHER),
    "cross_sell_rate": (Dimension.VALUE_GROWTH, Direction.HIGHER),
    "first_response_time": (Dimension.EXPERIENCE, Direction.LOWER),
    "resolution_rate": (Dimension.EXPERIENCE, Direction.HIGHER),
    "ces": (Dimension.EXPERIENCE, Direction.HIGHER),
}


@dataclass(frozen=True)
class IndicatorInput:
    """One indicator as the admin configured it plus this period's and last period's value.

    ``dimension`` and ``direction`` default from STANDARD_INDICATORS for the standard codes.
    """

    code: str
    value: float | None
    target: float
    previous: float | None = None
    weight: float = 1.0
    tolerance: float | None = None
    span: float | None = None
    dimension: Dimension | None = None
    direction: Direction | None = None


@dataclass(frozen=True)
class IndicatorResult:
    """An evaluated indicator; change, score are None without data."""

    code: str
    dimension: Dimension
    direction: Direction
    value: float | None
    previous: float | None
    target: float
    change: float | None
    status: Status
    score: float | None
    weight: float


@dataclass(frozen=True)
class DimensionResult:
    """A dimension's index (None without data) and its normalised weight in the overall index."""

    dimension: Dimension
    index: float | None
    weight: float | None
    indicators: tuple[IndicatorResult, ...]


@dataclass(frozen=True)
class ScorecardResult:
    """The overall 0–100 index (None without any data) and the four dimensions in order."""

    index: float | None
    dimensions: tuple[DimensionResult, ...]


def percent_change(current: float | None, previous: float | None) -> float | None:
    """Relative change in % (for "CLV and its change"); None when undefined (previous 0/None)."""
    if current is None or previous is None or previous == 0:
        return None
    return 100.0 * (current - previous) / abs(previous)


def indicator_evaluate(indicator: IndicatorInput) -> IndicatorResult:
    """Evaluate one indicator against its target: change, status and 0–100 score."""
    dimension, direction = _resolve(indicator)
    if indicator.weight < 0:
        raise ValueError(f"indicator {indicator.code}: weight must be >= 0")
    value, previous, target = indicator.value, indicator.previous, indicator.target
    change = None if value is None or previous is None else value - previous
    if value is None:
        status, score = Status.NO_DATA, None
    else:
        shortfall = target - value if direction is Direction.HIGHER else value - target
        tolerance = (
            DEFAULT_TOLERANCE * abs(target) if indicator.tolerance is None else indicator.tolerance
        )
        span = abs(target) if indicator.span is None else indicator.span
        if shortfall <= 0:
            status, score = Status.MET, 100.0
        else:
            status = Status.CLOSE if shortfall <= tolerance else Status.MISSED
            score = 100.0 * max(0.0, 1.0 - shortfall / span) if span > 0 else 0.0
    return IndicatorResult(
        code=indicator.code,
        dimension=dimension,
        direction=direction,
        value=value,
        previous=previous,
        target=target,
        change=change,
        status=status,
        score=score,
        weight=indicator.weight,
    )


def _resolve(indicator: IndicatorInput) -> tuple[Dimension, Direction]:
    standard = STANDARD_INDICATORS.get(indicator.code)
    dimension = indicator.dimension or (standard[0] if standard else None)
    direction = indicator.direction or (standard[1] if standard else None)
    if dimension is None or direction is None:
        raise ValueError(
            f"indicator {indicator.code!r} is not standard: give its dimension and direction"
        )
    return Dimension(dimension), Direction(direction)


def _weighted_mean(pairs: Sequence[tuple[float, float]]) -> float | None:
    total = sum(weight for _, weight in pairs)
    if total <= 0:
        return None
    return sum(score * weight for score, weight in pairs) / total


def scorecard(
    indicators: Sequence[IndicatorInput],
    *,
    dimension_weights: Mapping[Dimension | str, float] | None = None,
) -> ScorecardResult:
    """Evaluate all indicators and combine them into dimension indexes and the overall index.

    ``dimension_weights`` are the admin's weights (any positive scale, normalised here);
    dimensions left out weigh 0; None means equal weights.
    """
    weights = _dimension_weights(dimension_weights)
    evaluated = [indicator_evaluate(indicator) for indicator in indicators]
    dimensions: list[DimensionResult] = []
    for dimension in Dimension:
        members = tuple(r for r in evaluated if r.dimension is dimension)
        index = _weighted_mean([(r.score, r.weight) for r in members if r.score is not None])
        dimensions.append(DimensionResult(dimension, index, None, members))

    available = sum(weights[d.dimension] for d in dimensions if d.index is not None)
    results = tuple(
        DimensionResult(
            d.dimension,
            d.index,
            weights[d.dimension] / available if d.index is not None and available > 0 else None,
            d.indicators,
        )
        for d in dimensions
    )
    overall = _weighted_mean(
        [(d.index, d.weight) for d in results if d.index is not None and d.weight is not None]
    )
    return ScorecardResult(index=overall, dimensions=results)


def _dimension_weights(raw: Mapping[Dimension | str, float] | None) -> dict[Dimension, float]:
    if raw is None:
        return dict.fromkeys(Dimension, 1.0)
    weights = dict.fromkeys(Dimension, 0.0)
    for key, weight in raw.items():
        if weight < 0:
            raise ValueError(f"dimension weight for {key} must be >= 0, got {weight}")
        weights[Dimension(key)] = float(weight)
    if sum(weights.values()) <= 0:
        raise ValueError("at least one dimension weight must be positive")
    return weights
