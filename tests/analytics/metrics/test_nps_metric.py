import math

import pytest
from scipy.stats import norm

from analytics.metrics.nps import NpsGroup, nps, nps_change_test, nps_counts, nps_group


def test_nps_is_promoter_share_minus_detractor_share_with_multinomial_interval():
    result = nps(promoters=5, passives=3, detractors=2)

    # pP = 0.5, pD = 0.2: Var = (0.5 + 0.2 − 0.3²) / 10 = 0.061
    half_width = 1.96 * math.sqrt(0.061) * 100
    assert result.value == pytest.approx(30.0)
    assert result.n == 10
    assert result.ci_low == pytest.approx(30.0 - half_width)
    assert result.ci_high == pytest.approx(30.0 + half_width)
    assert (result.promoter_share, result.passive_share, result.detractor_share) == (
        pytest.approx(50.0),
        pytest.approx(30.0),
        pytest.approx(20.0),
    )


def test_nps_of_all_promoters_is_100_with_zero_width_interval():
    result = nps(promoters=12, passives=0, detractors=0)

    assert (result.value, result.ci_low, result.ci_high) == (100.0, 100.0, 100.0)


def test_nps_of_all_detractors_is_minus_100_with_zero_width_interval():
    result = nps(promoters=0, passives=0, detractors=7)

    assert (result.value, result.ci_low, result.ci_high) == (-100.0, -100.0, -100.0)


def test_nps_of_all_passives_is_0_with_zero_width_interval():
    result = nps(promoters=0, passives=4, detractors=0)

    assert (result.value, result.ci_low, result.ci_high) == (0.0, 0.0, 0.0)


def test_nps_interval_is_clipped_to_100():
    result = nps(promoters=9, passives=0, detractors=1)

    # Var = (1.0 − 0.8²) / 10 = 0.036 → half-width 37.19, so 80 + 37.19 is clipped.
    assert result.value == pytest.approx(80.0)
    assert result.ci_high == 100.0
    assert result.ci_low == pytest.approx(80.0 - 1.96 * math.sqrt(0.036) * 100)


def test_nps_without_responses_is_none_not_a_crash():
    result = nps(promoters=0, passives=0, detractors=0)

    assert result.n == 0
    assert result.value is None
    assert result.ci_low is None and result.ci_high is None
    assert result.promoter_share is None


def test_nps_rejects_negative_or_fractional_counts():
    with pytest.raises(ValueError, match="promoters"):
        nps(promoters=-1, passives=0, detractors=0)
    with pytest.raises(ValueError, match="passives"):
        nps(promoters=1, passives=1.5, detractors=0)


@pytest.mark.parametrize(
    ("score", "group"),
    [(0, NpsGroup.DETRACTOR), (6, NpsGroup.DETRACTOR), (7, NpsGroup.PASSIVE),
     (8, NpsGroup.PASSIVE), (9, NpsGroup.PROMOTER), (10, NpsGroup.PROMOTER)],
)  # fmt: skip
def test_nps_group_boundaries_are_6_8_and_10(score, group):
    assert nps_group(score) is group


@pytest.mark.parametrize("score", [-1, 11, 7.5, "9", None, True])
def test_nps_group_rejects_anything_but_an_integer_from_0_to_10(score):
    with pytest.raises(ValueError, match="0 to 10"):
        nps_group(score)


def test_nps_counts_groups_raw_answers():
    assert nps_counts([10, 9, 8, 7, 6, 0, 10]) == (3, 2, 2)


def test_nps_change_test_compares_two_independent_samples():
    current = nps(promoters=50, passives=30, detractors=20)
    previous = nps(promoters=40, passives=30, detractors=30)

    result = nps_change_test(current=current, previous=previous)

    # Var₁ = (0.7 − 0.3²)/100 = 0.0061, Var₀ = (0.7 − 0.1²)/100 = 0.0069
    z = 0.2 / math.sqrt(0.0061 + 0.0069)
    assert result.difference == pytest.approx(20.0)
    assert result.z == pytest.approx(z)
    assert result.p_value == pytest.approx(2 * norm.sf(z))
    assert result.small_sample is False


def test_nps_change_test_flags_small_samples():
    result = nps_change_test(
        current=nps(promoters=5, passives=3, detractors=2),
        previous=nps(promoters=40, passives=30, detractors=30),
    )

    assert result.small_sample is True


def test_nps_change_between_identical_degenerate_samples_is_no_evidence():
    all_promoters = nps(promoters=40, passives=0, detractors=0)

    result = nps_change_test(current=all_promoters, previous=all_promoters)

    assert (result.difference, result.z, result.p_value) == (0.0, 0.0, 1.0)


def test_nps_change_test_with_an_empty_period_has_no_result():
    result = nps_change_test(
        current=nps(promoters=0, passives=0, detractors=0),
        previous=nps(promoters=4, passives=1, detractors=1),
    )

    assert (result.difference, result.z, result.p_value) == (None, None, None)
    assert result.n_previous == 6
