import math

import pytest
from scipy.stats import norm

from analytics.metrics.ces import ces
from analytics.metrics.csat import csat, csat_change_test


def test_csat_is_the_share_of_4_and_5_plus_the_mean():
    result = csat({1: 1, 2: 1, 3: 2, 4: 3, 5: 3})

    assert result.n == 10
    assert result.top2_share == pytest.approx(60.0)
    assert result.mean == pytest.approx(3.6)


def test_csat_scores_missing_from_the_histogram_count_zero():
    result = csat({5: 2})

    assert (result.top2_share, result.mean, result.n) == (100.0, 5.0, 2)


def test_csat_without_responses_is_none():
    result = csat({})

    assert (result.top2_share, result.mean, result.n) == (None, None, 0)


def test_csat_rejects_scores_outside_1_to_5():
    with pytest.raises(ValueError, match="1 to 5"):
        csat({0: 3})
    with pytest.raises(ValueError, match="1 to 5"):
        csat({6: 1})


def test_csat_rejects_negative_counts():
    with pytest.raises(ValueError, match="non-negative"):
        csat({4: -1})


def test_csat_change_test_is_a_pooled_two_proportion_z_test():
    current = csat({5: 60, 1: 40})
    previous = csat({4: 45, 2: 55})

    result = csat_change_test(current=current, previous=previous)

    pooled = 105 / 200
    z = 0.15 / math.sqrt(pooled * (1 - pooled) * (1 / 100 + 1 / 100))
    assert result.difference == pytest.approx(15.0)
    assert result.z == pytest.approx(z)
    assert result.p_value == pytest.approx(2 * norm.sf(z))
    assert result.small_sample is False


def test_csat_change_test_flags_small_samples_and_handles_empty_periods():
    small = csat_change_test(current=csat({5: 3}), previous=csat({1: 40}))
    empty = csat_change_test(current=csat({}), previous=csat({5: 3}))

    assert small.small_sample is True
    assert small.difference == pytest.approx(100.0)
    assert empty.difference is None


def test_ces_is_the_mean_and_the_share_of_5_to_7():
    result = ces({1: 1, 4: 1, 5: 1, 7: 1})

    assert result.mean == pytest.approx(4.25)
    assert result.easy_share == pytest.approx(50.0)
    assert result.n == 4


def test_ces_without_responses_is_none_and_rejects_8():
    assert ces({}).mean is None
    with pytest.raises(ValueError, match="1 to 7"):
        ces({8: 1})
