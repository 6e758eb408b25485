"""SLA business hours on China's real calendar (chinese-calendar): 国庆 and 春节 off, the
调休 Saturdays and Sundays worked, per-team weeks (weekends, public holidays), the configured
days winning, and a year the package does not know falling back to the plain week with a
warning — at real 2025/2026 dates."""

import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from feedback.cases.due import business_hours, due_dates
from feedback.cases.rules import ensure_case_defaults
from feedback.cases.services import case_assign
from feedback.cases.sla import (
    EVERY_DAY,
    PUBLIC_CALENDAR_YEARS,
    BusinessHours,
    add_business_time,
    public_day,
)
from feedback.models.cases import Case, CaseTeam, SlaPolicy
from surveyhub.security.roles import Role
from tests.factories import UserFactory, detractor_case

SHANGHAI = ZoneInfo("Asia/Shanghai")
CHINA = BusinessHours(public_calendar=True)


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def test_the_package_knows_2025_and_2026():
    assert {2025, 2026} <= set(PUBLIC_CALENDAR_YEARS)
    assert public_day(date(2025, 10, 8)) == "holiday"  # 国庆 + 中秋 2025: 1–8 October
    assert public_day(date(2025, 10, 11)) == "workday"  # Saturday worked in its place
    assert public_day(date(2026, 2, 17)) == "holiday"  # 春节 2026
    assert public_day(date(2026, 10, 12)) == ""  # an ordinary Monday


def test_national_day_2025_is_skipped_and_work_resumes_on_thursday_9_october():
    # Tuesday 30 September 17:00 + 4 working hours: 1 h that day, 3 h on Thursday 9 October.
    assert add_business_time(at(2025, 9, 30, 17), timedelta(hours=4), CHINA) == at(2025, 10, 9, 12)


def test_the_tiaoxiu_saturday_after_national_day_2025_is_a_working_day():
    # Friday 10 October 17:00 + 2 h: 1 h on Friday, 1 h on Saturday 11 October (worked).
    assert add_business_time(at(2025, 10, 10, 17), timedelta(hours=2), CHINA) == at(
        2025, 10, 11, 10
    )
    # Without the public calendar that Saturday is a day off.
    assert add_business_time(at(2025, 10, 10, 17), timedelta(hours=2)) == at(2025, 10, 13, 10)


def test_spring_festival_2026_counts_the_saturdays_around_it_and_skips_the_holiday():
    # Friday 13 February 10:00 + 1 working day: Saturday 14 February (worked) 10:00.
    assert add_business_time(at(2026, 2, 13, 10), timedelta(days=1), CHINA) == at(2026, 2, 14, 10)
    # + 2 working days: the holiday runs 15–23 February, so Tuesday 24 February.
    assert add_business_time(at(2026, 2, 13, 10), timedelta(days=2), CHINA) == at(2026, 2, 24, 10)


def test_a_case_opened_on_a_saturday_before_national_day_2026_starts_on_the_worked_sunday():
    # Saturday 19 September is off, Sunday 20 September is worked (调休).
    assert add_business_time(at(2026, 9, 19, 10), timedelta(hours=1), CHINA) == at(2026, 9, 20, 10)


def test_a_team_working_weekends_still_has_the_public_holidays_off():
    weekends = BusinessHours(public_calendar=True, workdays=EVERY_DAY)
    assert not weekends.is_workday(date(2026, 10, 3))  # Saturday in 国庆
    assert weekends.is_workday(date(2026, 10, 17))  # an ordinary Saturday
    assert not CHINA.is_workday(date(2026, 10, 17))


def test_a_team_working_public_holidays_keeps_its_plain_week_on_them():
    holidays = BusinessHours(public_calendar=True, works_public_holidays=True)
    assert holidays.is_workday(date(2026, 10, 1))  # Thursday, 国庆
    assert not holidays.is_workday(date(2026, 10, 3))  # Saturday: not its working day
    assert holidays.is_workday(date(2026, 10, 10))  # 调休 Saturday: everybody works


def test_configured_days_win_over_the_package():
    hours = BusinessHours(
        public_calendar=True,
        extra_workdays=frozenset({date(2026, 10, 2)}),
        holidays=frozenset({date(2026, 10, 10)}),
    )
    assert hours.is_workday(date(2026, 10, 2))
    assert not hours.is_workday(date(2026, 10, 10))


def test_a_year_the_package_does_not_know_falls_back_to_the_plain_week_with_a_warning(caplog):
    year = PUBLIC_CALENDAR_YEARS.stop + 3  # never published in this package version
    friday = date(year, 1, 1) + timedelta(days=(4 - date(year, 1, 1).weekday()) % 7)
    with caplog.at_level(logging.WARNING, logger="feedback.cases.sla"):
        assert public_day(friday) == ""
        assert CHINA.is_workday(friday)
        assert not CHINA.is_workday(friday + timedelta(days=1))  # Saturday
        start = datetime.combine(friday, datetime.min.time(), tzinfo=SHANGHAI)
        due = add_business_time(start.replace(hour=17), timedelta(hours=2), CHINA)
    assert due == datetime.combine(
        friday + timedelta(days=3), datetime.min.time(), SHANGHAI
    ).replace(hour=10)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1  # once per year, not per day counted
    assert str(year) in warnings[0].getMessage()


# Through the case SLAs ---------------------------------------------------------------------


@pytest.fixture
def business_policies(db):
    ensure_case_defaults()
    SlaPolicy.objects.update(business_hours=True)


def test_case_due_times_use_the_public_calendar(business_policies):
    # P2: first response 24 h, resolution 72 h, in business hours (whole days: working days).
    first, resolution = due_dates("P2", at(2026, 9, 30, 17))
    assert first == at(2026, 10, 8, 17)
    # 8 and 9 October, then Saturday 10 October (调休).
    assert resolution == at(2026, 10, 10, 17)


def test_a_team_working_public_holidays_has_its_own_due_times(business_policies):
    team = CaseTeam.objects.create(name="7×24 热线", works_public_holidays=True)
    first, resolution = due_dates("P2", at(2026, 9, 30, 17), team)
    assert first == at(2026, 10, 1, 17)
    assert resolution == at(2026, 10, 5, 17)  # 1, 2, (weekend), 5 October
    assert business_hours(team).works_public_holidays


def test_assigning_to_a_member_of_a_weekend_team_re_counts_the_due_times(business_policies):
    team = CaseTeam.objects.create(name="周末班", works_weekends=True)
    agent = UserFactory(username="weekend-agent", role=Role.AGENT)
    team.members.add(agent)
    manager = UserFactory(username="boss", role=Role.MANAGER)
    case = detractor_case(nps=5)
    Case.objects.filter(pk=case.pk).update(priority="P2", sla_started_at=at(2026, 10, 15, 17))

    case_assign(case=case, assignee=agent, by=manager)

    case = Case.objects.get(pk=case.pk)
    assert case.team_id == team.pk
    # Thursday 15 October + 3 working days with weekends worked: 16, 17, 18 October.
    assert case.due_at == at(2026, 10, 18, 17)
    assert case.due_first_response_at == at(2026, 10, 16, 17)
