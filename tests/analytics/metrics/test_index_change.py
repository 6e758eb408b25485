"""The significance of the index's and the dimensions' change, worked by hand on a small card:
two dimensions at half weight each, the scores' standard errors from the intervals' ends."""

import math

import pytest

from analytics.metrics.index_change import (
    ScoredIndicator,
    index_change_test,
    index_variance,
    score_standard_error,
)

# Satisfaction: NPS 15 (target 30), interval 9…21 → scores 30…70 (linear: slope 100/30), and
# CSAT 60% (target 80), interval 56…64 → scores 70…80. Experience: CES 5.5 at its target 5.5,
# interval 5.3…5.7 → scores 96.36…100; first-response time (no interval) adds no error.
CARD = [
    ScoredIndicator("nps", 15.0, 30.0, 1.0, (9.0, 21.0)),
    ScoredIndicator("csat", 60.0, 80.0, 1.0, (56.0, 64.0)),
    ScoredIndicator("ces", 5.5, 5.5, 1.0, (5.3, 5.7)),
    ScoredIndicator("first_response_time", 10.0, 24.0, 1.0, None),
    ScoredIndicator("clv_change", 2.0, 5.0, 1.0, None),
]
WEIGHTS = {"satisfaction": 0.5, "experience": 0.5, "loyalty": None, "value_growth": None}


def test_each_scores_error_is_its_interval_scored_over_two_times_1_96():
    assert score_standard_error(CARD[0]) == pytest.approx((70 - 30) / 3.92)  # 10.204
    assert score_standard_error(CARD[1]) == pytest.approx((80 - 70) / 3.92)  # 2.551
    assert score_standard_error(CARD[2]) == pytest.approx((100 - 100 * (1 - 0.2 / 5.5)) / 3.92)
    assert score_standard_error(CARD[3]) is None
    # Wholly above the target: the score is 100 at both ends, no error at all.
    assert score_standard_error(ScoredIndicator("csat", 95.0, 80.0, 1.0, (90.0, 99.0))) == 0


def test_the_variances_add_up_through_the_weights_by_hand():
    result = index_variance(CARD, WEIGHTS)

    satisfaction = 0.25 * ((40 / 3.92) ** 2 + (10 / 3.92) ** 2)  # (1/2)² each: 27.658
    experience = 0.25 * ((100 * 0.2 / 5.5) / 3.92) ** 2  # first-response time adds none: 0.2151
    assert result.dimensions["satisfaction"] == pytest.approx(satisfaction)
    assert result.dimensions["experience"] == pytest.approx(experience)
    assert result.dimensions["loyalty"] is None  # no indicator with data
    assert result.dimensions["value_growth"] == 0  # CLV change only: nothing sampled
    assert result.sampled == {"satisfaction": 2, "loyalty": 0, "value_growth": 0, "experience": 1}
    assert result.overall == pytest.approx(0.25 * satisfaction + 0.25 * experience)  # 6.968


def test_the_change_is_a_two_sided_z_test_by_hand():
    variance = index_variance(CARD, WEIGHTS).overall  # both periods alike: 6.968 each
    test = index_change_test(80.0, 70.0, variance, variance)

    se = math.sqrt(2 * 6.968347)  # 3.7332
    assert test.standard_error == pytest.approx(se, rel=1e-5)
    assert test.z == pytest.approx(10 / se, rel=1e-5)  # 2.6787
    assert test.p_value == pytest.approx(math.erfc(10 / se / math.sqrt(2)), rel=1e-4)  # 0.0074
    assert round(test.p_value, 4) == 0.0074 and test.significant
    small = index_change_test(71.0, 70.0, variance, variance)  # z = 0.27, p = 0.789
    assert round(small.p_value, 3) == 0.789 and not small.significant
    assert index_change_test(75.0, 70.0, -0.0, 0.0) is None  # nothing sampled: no test
    assert index_change_test(75.0, None, variance, variance) is None
