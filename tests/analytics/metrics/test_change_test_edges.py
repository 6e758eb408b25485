"""Period-change tests at their edges: degenerate samples, the 30-answer flag, empty periods."""

import math

import pytest

from analytics.metrics.csat import csat, csat_change_test
from analytics.metrics.nps import nps, nps_change_test
from analytics.metrics.stats import z_test


def test_all_promoters_against_all_passives_is_a_certain_change():
    # Both variances are 0 and NPS moves by 100 points: z = +inf, p = 0.
    result = nps_change_test(
        current=nps(promoters=10, passives=0, detractors=0),
        previous=nps(promoters=0, passives=10, detractors=0),
    )

    assert result.z == math.inf
    assert result.p_value == 0.0
    assert result.difference == pytest.approx(100.0)


def test_a_certain_drop_has_z_minus_infinity():
    result = nps_change_test(
        current=nps(promoters=0, passives=0, detractors=5),
        previous=nps(promoters=5, passives=0, detractors=0),
    )

    assert result.z == -math.inf
    assert result.p_value == 0.0


def test_rounding_noise_with_no_spread_is_no_change():
    result = z_test(1e-17, 0.0, n_current=40, n_previous=40, scale=100.0)

    assert result.z == 0.0
    assert result.p_value == pytest.approx(1.0)


def test_the_result_carries_both_sample_sizes():
    result = nps_change_test(
        current=nps(promoters=20, passives=10, detractors=11),
        previous=nps(promoters=15, passives=10, detractors=7),
    )

    assert (result.n_current, result.n_previous) == (41, 32)


@pytest.mark.parametrize(("smaller", "flagged"), [(29, True), (30, False)])
def test_small_sample_flag_is_below_30_answers(smaller, flagged):
    result = csat_change_test(current=csat({5: smaller}), previous=csat({1: 60}))

    assert result.small_sample is flagged


def test_an_empty_period_keeps_both_sizes_and_is_flagged():
    nps_result = nps_change_test(
        current=nps(promoters=0, passives=0, detractors=0),
        previous=nps(promoters=3, passives=0, detractors=0),
    )
    csat_result = csat_change_test(current=csat({5: 4}), previous=csat({}))

    assert (nps_result.n_current, nps_result.n_previous, nps_result.small_sample) == (0, 3, True)
    assert (csat_result.n_current, csat_result.n_previous, csat_result.small_sample) == (4, 0, True)
    assert csat_result.z is None


def test_a_previous_period_of_one_answer_is_compared():
    nps_result = nps_change_test(
        current=nps(promoters=40, passives=0, detractors=0),
        previous=nps(promoters=0, passives=0, detractors=1),
    )
    csat_result = csat_change_test(current=csat({5: 40}), previous=csat({1: 1}))

    assert nps_result.difference == pytest.approx(200.0)
    assert csat_result.difference == pytest.approx(100.0)


def test_nps_without_answers_has_zero_counts():
    result = nps(promoters=0, passives=0, detractors=0)

    assert (result.promoters, result.passives, result.detractors) == (0, 0, 0)
    assert result.value is None


def test_nps_keeps_the_passive_count():
    assert nps(promoters=1, passives=4, detractors=2).passives == 4


def test_nps_interval_is_clipped_at_minus_100():
    # NPS −80 on 10 answers: the raw interval reaches about −117.
    result = nps(promoters=1, passives=0, detractors=9)

    assert result.ci_low == -100.0
