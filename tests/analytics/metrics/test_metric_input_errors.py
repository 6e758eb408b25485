"""Bad counts from upstream fail loudly, and the error names the count that was wrong."""

import math
from decimal import Decimal

import pytest

from analytics.metrics.ces import ces
from analytics.metrics.csat import csat
from analytics.metrics.loyalty import promoter_share
from analytics.metrics.nps import nps
from analytics.metrics.service import duration_summary, resolution_rate, sla_compliance


@pytest.mark.parametrize("bad", ["promoters", "passives", "detractors"])
def test_nps_names_the_negative_group_count(bad):
    counts = {"promoters": 1, "passives": 1, "detractors": 1, bad: -1}

    with pytest.raises(ValueError, match=rf"^{bad} must be a non-negative integer, got -1$"):
        nps(**counts)


def test_histogram_errors_name_the_metric_and_the_score():
    with pytest.raises(ValueError, match=r"^CSAT scores run from 1 to 5, got 6$"):
        csat({6: 1})
    with pytest.raises(ValueError, match=r"^CES scores run from 1 to 7, got 0$"):
        ces({0: 1})
    with pytest.raises(ValueError, match=r"^count of score 4 must be a non-negative integer"):
        csat({4: -2})


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [({"resolved": -1, "opened": 1}, "resolved"), ({"resolved": 1, "opened": -1}, "opened")],
)
def test_resolution_rate_names_the_bad_count(kwargs, name):
    with pytest.raises(ValueError, match=rf"^{name} must be"):
        resolution_rate(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"resolved_before_due": -1, "resolved": 1}, "resolved_before_due"),
        ({"resolved_before_due": 0, "resolved": -1}, "resolved"),
    ],
)
def test_sla_compliance_names_the_bad_count(kwargs, name):
    with pytest.raises(ValueError, match=rf"^{name} must be"):
        sla_compliance(**kwargs)


def test_sla_compliance_says_why_more_on_time_than_resolved_is_wrong():
    with pytest.raises(ValueError, match=r"^resolved_before_due cannot exceed resolved$"):
        sla_compliance(resolved_before_due=3, resolved=2)


def test_durations_of_zero_and_under_one_are_valid():
    result = duration_summary([0.0, 0.5])

    assert result.median == pytest.approx(0.25)
    assert result.n == 2


def test_durations_as_decimals_from_the_database_are_summarised():
    result = duration_summary([Decimal("1.5"), Decimal("2.5"), Decimal("3.5")])

    assert result.median == pytest.approx(2.5)


def test_a_missing_or_negative_duration_is_rejected_with_a_reason():
    with pytest.raises(ValueError, match=r"^durations must be non-negative numbers$"):
        duration_summary([1.0, math.nan])
    with pytest.raises(ValueError, match=r"^durations must be non-negative numbers$"):
        duration_summary([1.0, -0.5])


def test_promoter_share_rejects_negative_promoters_even_with_valid_responses():
    with pytest.raises(ValueError, match=r"got -1 of 5$"):
        promoter_share(promoters=-1, responses=5)
