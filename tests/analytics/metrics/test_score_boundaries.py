"""Every score threshold at its edge: NPS 6/7/8/9, CSAT 3/4, CES 4/5, via the metric functions."""

import pytest

from analytics.metrics.ces import ces
from analytics.metrics.csat import csat
from analytics.metrics.nps import NpsGroup, nps, nps_counts, nps_group


@pytest.mark.parametrize(
    ("score", "group"),
    [
        (0, NpsGroup.DETRACTOR),
        (6, NpsGroup.DETRACTOR),
        (7, NpsGroup.PASSIVE),
        (8, NpsGroup.PASSIVE),
        (9, NpsGroup.PROMOTER),
        (10, NpsGroup.PROMOTER),
    ],
)
def test_nps_group_at_each_edge(score, group):
    assert nps_group(score) == group


def test_nps_counts_put_6_7_8_9_in_three_groups():
    # 6 detractor, 7 and 8 passive, 9 promoter.
    assert nps_counts([6, 7, 8, 9]) == (1, 2, 1)


def test_nps_of_the_edge_scores_is_zero_with_half_passives():
    promoters, passives, detractors = nps_counts([6, 7, 8, 9])
    result = nps(promoters=promoters, passives=passives, detractors=detractors)

    assert result.value == pytest.approx(0.0)
    assert result.passive_share == pytest.approx(50.0)


@pytest.mark.parametrize("score", [-1, 11, 7.5, True, "9", None])
def test_nps_group_rejects_what_is_not_a_0_to_10_integer(score):
    with pytest.raises(ValueError, match="0 to 10"):
        nps_group(score)


def test_csat_top_2_box_starts_at_4_not_3():
    result = csat({3: 1, 4: 1})

    assert result.top2 == 1
    assert result.top2_share == pytest.approx(50.0)


def test_csat_top_2_box_counts_both_4_and_5():
    assert csat({4: 2, 5: 3}).top2 == 5


def test_ces_easy_starts_at_5_not_4():
    assert ces({4: 1, 5: 1}).easy_share == pytest.approx(50.0)


def test_ces_easy_adds_up_5_6_and_7():
    # Distinct counts so that a sign slip between any two of them shows.
    assert ces({5: 1, 6: 2, 7: 4, 1: 1}).easy_share == pytest.approx(700 / 8)
