import pytest

from analytics.metrics.service import duration_summary, resolution_rate, sla_compliance


def test_duration_summary_gives_median_and_interpolated_p90():
    result = duration_summary([1.0, 2.0, 3.0, 4.0, 10.0])

    # p90 sits at position 0.9 × 4 = 3.6 between 4 and 10.
    assert (result.median, result.p90, result.n) == (3.0, pytest.approx(7.6), 5)


def test_duration_summary_of_no_cases_is_none():
    result = duration_summary([])

    assert (result.median, result.p90, result.n) == (None, None, 0)


def test_duration_summary_rejects_negative_durations():
    with pytest.raises(ValueError, match="non-negative"):
        duration_summary([1.0, -2.0])


def test_resolution_rate_is_resolved_over_opened():
    assert resolution_rate(resolved=8, opened=10) == pytest.approx(80.0)
    assert resolution_rate(resolved=0, opened=0) is None


def test_sla_compliance_is_resolved_before_due_over_resolved():
    assert sla_compliance(resolved_before_due=6, resolved=8) == pytest.approx(75.0)
    assert sla_compliance(resolved_before_due=0, resolved=0) is None
    with pytest.raises(ValueError):
        sla_compliance(resolved_before_due=3, resolved=2)
