"""SLA due times at the business-hour edges: opening, closing, the last minute, weekends."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from feedback.cases.sla import BusinessHours, add_business_time, due_time

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    # November 2026: the 19th is a Thursday, 20th Friday, 21st Saturday, 23rd Monday.
    return datetime(2026, 11, day, hour, minute, second, tzinfo=SHANGHAI)


def test_opened_exactly_at_opening_counts_from_opening():
    assert add_business_time(at(23, 9), timedelta(hours=1)) == at(23, 10)


def test_opened_a_minute_before_opening_counts_from_opening():
    assert add_business_time(at(23, 8, 59), timedelta(hours=1)) == at(23, 10)


def test_opened_exactly_at_closing_counts_from_the_next_opening():
    assert add_business_time(at(23, 18), timedelta(hours=1)) == at(24, 10)


def test_opened_a_second_before_closing_uses_that_second():
    assert add_business_time(at(23, 17, 59, 59), timedelta(seconds=1)) == at(23, 18)


def test_work_that_ends_exactly_at_closing_is_due_at_closing_not_next_morning():
    assert add_business_time(at(23, 17), timedelta(hours=1)) == at(23, 18)


def test_one_minute_past_closing_time_rolls_into_the_next_morning():
    assert add_business_time(at(23, 17), timedelta(hours=1, minutes=1)) == at(24, 9, 1)


def test_a_nine_hour_day_fits_exactly_into_one_working_day():
    assert add_business_time(at(23, 9), timedelta(hours=9)) == at(23, 18)


def test_whole_days_skip_the_weekend_and_keep_the_clock_time():
    assert add_business_time(at(19, 10), timedelta(days=2)) == at(23, 10)


def test_days_and_hours_combine():
    assert add_business_time(at(20, 16), timedelta(days=1, hours=3)) == at(24, 10)


def test_a_saturday_case_starts_on_monday_morning():
    assert add_business_time(at(21, 11), timedelta(hours=2)) == at(23, 11)


def test_zero_duration_is_the_first_working_moment():
    assert add_business_time(at(21, 11), timedelta(0)) == at(23, 9)
    assert add_business_time(at(23, 11, 30), timedelta(0)) == at(23, 11, 30)


def test_a_utc_start_is_read_in_shanghai_time():
    # 01:00 UTC is 09:00 in Shanghai, opening time on Monday.
    start = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)

    assert add_business_time(start, timedelta(hours=2)) == at(23, 11)


def test_a_naive_start_or_negative_duration_is_refused():
    with pytest.raises(ValueError, match=r"^start must be timezone-aware$"):
        add_business_time(datetime(2026, 11, 23, 10, 0), timedelta(hours=1))
    with pytest.raises(ValueError, match=r"^duration must not be negative$"):
        add_business_time(at(23, 10), timedelta(seconds=-1))


def test_custom_business_hours_and_workdays_are_honoured():
    saturday_shop = BusinessHours(
        opens=time(10, 0), closes=time(20, 0), workdays=frozenset({0, 1, 2, 3, 4, 5})
    )

    assert add_business_time(at(20, 19), timedelta(hours=2), saturday_shop) == at(21, 11)
    assert due_time(at(20, 19), timedelta(hours=2), business_hours=True, hours=saturday_shop) == (
        at(21, 11)
    )


def test_calendar_time_is_plain_addition():
    assert due_time(at(21, 23), timedelta(hours=2), business_hours=False) == at(22, 1)
