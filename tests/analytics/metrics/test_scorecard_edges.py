"""Scorecard edges: exactly on target, exactly at tolerance, zero spans and weights."""

import pytest

from analytics.metrics.scorecard import (
    Dimension,
    Direction,
    IndicatorInput,
    Status,
    indicator_evaluate,
    scorecard,
)


def test_exactly_on_target_is_met():
    assert indicator_evaluate(IndicatorInput("nps", value=40.0, target=40.0)).status is Status.MET


def test_a_shortfall_equal_to_the_tolerance_is_still_close():
    result = indicator_evaluate(IndicatorInput("csat", value=95.0, target=100.0))

    assert result.status is Status.CLOSE


def test_an_explicit_tolerance_replaces_the_default():
    result = indicator_evaluate(IndicatorInput("csat", value=92.0, target=100.0, tolerance=10.0))

    assert result.status is Status.CLOSE


def test_an_explicit_span_replaces_the_target_as_the_scale():
    result = indicator_evaluate(IndicatorInput("nps", value=30.0, target=40.0, span=20.0))

    assert result.score == pytest.approx(50.0)


def test_a_span_under_one_still_scales_the_score():
    result = indicator_evaluate(IndicatorInput("nps", value=0.75, target=1.0, span=0.5))

    assert result.score == pytest.approx(50.0)


def test_a_missed_target_of_zero_scores_zero():
    result = indicator_evaluate(IndicatorInput("first_response_time", value=1.0, target=0.0))

    assert result.status is Status.MISSED
    assert result.score == 0.0


def test_zero_and_fractional_indicator_weights_are_allowed():
    assert indicator_evaluate(IndicatorInput("nps", value=1.0, target=1.0, weight=0.0)).weight == 0
    half = indicator_evaluate(IndicatorInput("nps", value=1.0, target=1.0, weight=0.5))
    assert half.weight == 0.5


def test_a_negative_weight_names_the_indicator():
    with pytest.raises(ValueError, match=r"^indicator nps: weight must be >= 0$"):
        indicator_evaluate(IndicatorInput("nps", value=1.0, target=1.0, weight=-1.0))


def test_the_result_echoes_the_inputs():
    result = indicator_evaluate(IndicatorInput("nps", value=30.0, target=40.0, previous=20.0))

    assert (result.code, result.value, result.previous, result.target) == ("nps", 30.0, 20.0, 40.0)


def test_a_custom_indicator_needs_both_dimension_and_direction():
    with pytest.raises(ValueError, match="give its dimension and direction"):
        indicator_evaluate(
            IndicatorInput("visits", value=1.0, target=1.0, dimension=Dimension.LOYALTY)
        )
    with pytest.raises(ValueError, match="give its dimension and direction"):
        indicator_evaluate(
            IndicatorInput("visits", value=1.0, target=1.0, direction=Direction.LOWER)
        )


def test_dimensions_list_their_indicators():
    result = scorecard([IndicatorInput("nps", value=40.0, target=40.0)])

    satisfaction = result.dimensions[0]
    assert [i.code for i in satisfaction.indicators] == ["nps"]


def test_dimension_weights_summing_under_one_are_normalised():
    result = scorecard(
        [IndicatorInput("nps", value=40.0, target=40.0)],
        dimension_weights={Dimension.SATISFACTION: 0.5},
    )

    assert result.dimensions[0].weight == pytest.approx(1.0)
    assert result.index == pytest.approx(100.0)


def test_data_only_in_dimensions_weighted_zero_gives_no_overall_index():
    result = scorecard(
        [IndicatorInput("nps", value=40.0, target=40.0)],
        dimension_weights={Dimension.LOYALTY: 1.0},
    )

    assert result.dimensions[0].index == pytest.approx(100.0)
    assert result.dimensions[0].weight is None
    assert result.index is None


def test_all_zero_dimension_weights_are_refused():
    with pytest.raises(ValueError, match=r"^at least one dimension weight must be positive$"):
        scorecard([], dimension_weights={Dimension.LOYALTY: 0.0})
