import pytest

from analytics.metrics.scorecard import (
    Dimension,
    Direction,
    IndicatorInput,
    Status,
    indicator_evaluate,
    percent_change,
    scorecard,
)


def test_indicator_below_target_by_more_than_tolerance_is_missed_with_proportional_score():
    result = indicator_evaluate(IndicatorInput("nps", value=30.0, target=40.0, previous=25.0))

    assert result.status is Status.MISSED
    assert result.score == pytest.approx(75.0)
    assert result.change == pytest.approx(5.0)
    assert result.dimension is Dimension.SATISFACTION


def test_indicator_within_5_percent_of_target_is_close():
    result = indicator_evaluate(IndicatorInput("csat", value=78.0, target=80.0))

    assert result.status is Status.CLOSE
    assert result.score == pytest.approx(97.5)


def test_indicator_at_or_beyond_target_is_met_and_scores_100():
    assert indicator_evaluate(IndicatorInput("nps", value=40.0, target=40.0)).score == 100.0
    assert indicator_evaluate(IndicatorInput("nps", value=55.0, target=40.0)).status is Status.MET


def test_lower_is_better_indicator_scores_zero_at_twice_its_target():
    def evaluate(value):
        return indicator_evaluate(IndicatorInput("first_response_time", value=value, target=4.0))

    assert evaluate(3.9).status is Status.MET
    assert evaluate(4.1).status is Status.CLOSE
    assert evaluate(6.0).score == pytest.approx(50.0)
    assert evaluate(9.0).score == 0.0
    assert evaluate(6.0).direction is Direction.LOWER


def test_indicator_without_value_has_no_score_or_change():
    result = indicator_evaluate(IndicatorInput("retention_rate", value=None, target=60.0))

    assert (result.status, result.score, result.change) == (Status.NO_DATA, None, None)


def test_custom_indicator_needs_dimension_and_direction():
    with pytest.raises(ValueError, match="not standard"):
        indicator_evaluate(IndicatorInput("complaints", value=3.0, target=5.0))

    result = indicator_evaluate(
        IndicatorInput(
            "complaints",
            value=3.0,
            target=5.0,
            dimension=Dimension.EXPERIENCE,
            direction=Direction.LOWER,
        )
    )
    assert result.status is Status.MET


def test_scorecard_index_is_weighted_and_renormalised_over_dimensions_with_data():
    indicators = [
        IndicatorInput("nps", value=30.0, target=40.0),  # 75
        IndicatorInput("csat", value=85.0, target=80.0),  # 100
        IndicatorInput("repurchase_rate", value=20.0, target=40.0),  # 50
        IndicatorInput("retention_rate", value=None, target=60.0),  # left out
        IndicatorInput("promoter_share", value=50.0, target=45.0),  # 100
        IndicatorInput("clv", value=None, target=1000.0),  # whole dimension without data
        IndicatorInput("first_response_time", value=6.0, target=4.0),  # 50
    ]

    result = scorecard(
        indicators,
        dimension_weights={"satisfaction": 2, "loyalty": 1, "value_growth": 1, "experience": 1},
    )

    by_dimension = {d.dimension: d for d in result.dimensions}
    assert by_dimension[Dimension.SATISFACTION].index == pytest.approx(87.5)
    assert by_dimension[Dimension.LOYALTY].index == pytest.approx(75.0)
    assert by_dimension[Dimension.VALUE_GROWTH].index is None
    assert by_dimension[Dimension.VALUE_GROWTH].weight is None
    assert by_dimension[Dimension.SATISFACTION].weight == pytest.approx(0.5)
    # (2 × 87.5 + 75 + 50) / 4
    assert result.index == pytest.approx(75.0)


def test_scorecard_uses_equal_weights_by_default_and_indicator_weights_within_a_dimension():
    result = scorecard(
        [
            IndicatorInput("nps", value=20.0, target=40.0, weight=3.0),  # 50
            IndicatorInput("csat", value=90.0, target=80.0, weight=1.0),  # 100
            IndicatorInput("ces", value=5.0, target=5.0),  # 100
        ]
    )

    assert result.dimensions[0].index == pytest.approx(62.5)
    assert result.index == pytest.approx((62.5 + 100.0) / 2)


def test_scorecard_without_any_data_has_no_index():
    assert scorecard([IndicatorInput("nps", value=None, target=40.0)]).index is None


def test_scorecard_rejects_negative_or_all_zero_weights():
    indicators = [IndicatorInput("nps", value=30.0, target=40.0)]

    with pytest.raises(ValueError, match=">= 0"):
        scorecard(indicators, dimension_weights={"loyalty": -1})
    with pytest.raises(ValueError, match="positive"):
        scorecard(indicators, dimension_weights={"loyalty": 0})
    with pytest.raises(ValueError):
        scorecard(indicators, dimension_weights={"happiness": 1})


def test_percent_change_is_relative_to_the_previous_value():
    assert percent_change(110.0, 100.0) == pytest.approx(10.0)
    assert percent_change(-5.0, -10.0) == pytest.approx(50.0)
    assert percent_change(1.0, 0.0) is None
    assert percent_change(None, 3.0) is None
