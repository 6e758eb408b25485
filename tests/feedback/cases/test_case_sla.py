"""SLA due times: calendar time, and business hours (工作日 9:00–18:00 Asia/Shanghai)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from feedback.cases.sla import add_business_time, due_time

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    # November 2026: the 20th is a Friday, the 23rd a Monday.
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


def test_calendar_time_ignores_nights_and_weekends():
    assert due_time(at(20, 20), timedelta(hours=4), business_hours=False) == at(21, 0)


def test_friday_evening_case_with_4_business_hours_is_due_monday_1pm():
    assert add_business_time(at(20, 20), timedelta(hours=4)) == at(23, 13)


def test_friday_evening_case_with_one_business_day_is_due_tuesday_9am():
    assert add_business_time(at(20, 20), timedelta(hours=24)) == at(24, 9)


def test_friday_afternoon_hours_run_over_the_weekend_into_monday():
    # 16:00 Friday + 4 working hours = 2 h on Friday + 2 h on Monday.
    assert add_business_time(at(20, 16), timedelta(hours=4)) == at(23, 11)


def test_saturday_counts_from_monday_opening():
    assert add_business_time(at(21, 10), timedelta(hours=1)) == at(23, 10)


def test_early_morning_counts_from_9am_the_same_day():
    assert add_business_time(at(23, 7), timedelta(hours=2)) == at(23, 11)


def test_work_ending_exactly_at_closing_time_is_due_at_6pm():
    assert add_business_time(at(23, 9), timedelta(hours=9)) == at(23, 18)


def test_seven_days_are_seven_working_days_across_a_weekend():
    # Wednesday 10:00 + 7 working days → the Friday of the following week, 10:00.
    assert add_business_time(at(18, 10), timedelta(days=7)) == at(27, 10)


def test_a_utc_start_is_read_in_shanghai_time():
    friday_evening_utc = datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("UTC"))  # 20:00 CST
    assert add_business_time(friday_evening_utc, timedelta(hours=4)) == at(23, 13)


def test_naive_start_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        add_business_time(datetime(2026, 11, 20, 20), timedelta(hours=4))


@pytest.mark.django_db
def test_a_p1_case_opened_friday_evening_under_business_hours_is_due_monday_and_tuesday(
    monkeypatch,
):
    from feedback.cases.rules import ensure_case_defaults
    from feedback.models.cases import SlaPolicy
    from tests.factories import CustomerFactory, detractor_case

    ensure_case_defaults()
    SlaPolicy.objects.filter(priority="P1").update(business_hours=True)
    monkeypatch.setattr("django.utils.timezone.now", lambda: at(20, 20))
    case = detractor_case(customer=CustomerFactory(attributes={"value_tier": "vip"}), nps=1)
    assert case.priority == "P1"
    assert case.due_first_response_at == at(23, 13)  # 4 working hours: Monday 13:00
    assert case.due_at == at(24, 9)  # 24 h = one working day: Tuesday 9:00


@pytest.mark.django_db
def test_without_business_hours_the_same_case_is_due_in_calendar_time(monkeypatch):
    from tests.factories import CustomerFactory, detractor_case

    monkeypatch.setattr("django.utils.timezone.now", lambda: at(20, 20))
    case = detractor_case(customer=CustomerFactory(attributes={"value_tier": "vip"}), nps=1)
    assert (case.due_first_response_at, case.due_at) == (at(21, 0), at(21, 20))
