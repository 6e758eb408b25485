"""SLA due times at the exact business minute across a public holiday and its 调休 working
day, from the pure counting (feedback.cases.sla) through opening and reopening a case, to
the overdue, near-due and in-time readings of the queue, the escalation job, the dashboard
and the service metrics — each at the due moment and one second before or after it.

The calendar (configured with SURVEYHUB_SLA_HOLIDAYS / SURVEYHUB_SLA_EXTRA_WORKDAYS, as a
company would for 国庆节): 1–7 October 2026 are holidays (Thursday to Wednesday); Saturday
10 October is worked instead.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from feedback.cases.escalation import cases_needing_sla_notice, sla_thresholds_reached
from feedback.cases.queries import CaseFilters, case_queue, case_queue_counts, service_metrics
from feedback.cases.rules import ensure_case_defaults
from feedback.cases.services import case_reopen, case_resolve
from feedback.cases.sla import BusinessHours, add_business_time
from feedback.models.cases import Case, ResolutionReason, SlaPolicy
from surveyhub.env import env_dates
from surveyhub.security.roles import Role
from tests.factories import CustomerFactory, UserFactory, detractor_case

SHANGHAI = ZoneInfo("Asia/Shanghai")
SECOND = timedelta(seconds=1)
HOLIDAYS = [date(2026, 10, d) for d in range(1, 8)]
WORKED_SATURDAY = date(2026, 10, 10)
GOLDEN_WEEK = BusinessHours(
    holidays=frozenset(HOLIDAYS), extra_workdays=frozenset({WORKED_SATURDAY})
)


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


# The counting ----------------------------------------------------------------------------


def test_working_hours_left_before_the_holiday_resume_on_the_first_working_day_after():
    # Wednesday 30 September 17:00 + 4 h: 1 h that day, 3 h on Thursday 8 October.
    assert add_business_time(at(9, 30, 17), timedelta(hours=4), GOLDEN_WEEK) == at(10, 8, 12)
    # Without the holidays it would be Thursday 1 October.
    assert add_business_time(at(9, 30, 17), timedelta(hours=4)) == at(10, 1, 12)


def test_work_ending_at_closing_on_the_eve_of_the_holiday_is_due_that_evening():
    assert add_business_time(at(9, 30, 17), timedelta(hours=1), GOLDEN_WEEK) == at(9, 30, 18)
    one_minute_more = timedelta(hours=1, minutes=1)
    assert add_business_time(at(9, 30, 17), one_minute_more, GOLDEN_WEEK) == at(10, 8, 9, 1)


def test_a_working_day_skips_the_whole_holiday_and_keeps_the_clock_time():
    assert add_business_time(at(9, 30, 10), timedelta(days=1), GOLDEN_WEEK) == at(10, 8, 10)


def test_a_case_opened_during_the_holiday_starts_counting_when_work_resumes():
    assert add_business_time(at(10, 3, 11), timedelta(hours=2), GOLDEN_WEEK) == at(10, 8, 11)


def test_the_worked_saturday_counts_and_the_sunday_after_it_does_not():
    # Friday 9 October 17:00 + 2 h: 1 h on Friday, 1 h on the worked Saturday.
    assert add_business_time(at(10, 9, 17), timedelta(hours=2), GOLDEN_WEEK) == at(10, 10, 10)
    # Saturday 17:00 + 2 h: 1 h on Saturday, then Monday 12 October (Sunday is off).
    assert add_business_time(at(10, 10, 17), timedelta(hours=2), GOLDEN_WEEK) == at(10, 12, 10)


def test_the_calendar_settings_read_iso_dates_and_refuse_anything_else(monkeypatch):
    monkeypatch.delenv("SURVEYHUB_SLA_HOLIDAYS", raising=False)
    assert env_dates("SURVEYHUB_SLA_HOLIDAYS") == []
    monkeypatch.setenv("SURVEYHUB_SLA_HOLIDAYS", "2026-10-01, 2026-10-02,")
    assert env_dates("SURVEYHUB_SLA_HOLIDAYS") == [date(2026, 10, 1), date(2026, 10, 2)]
    monkeypatch.setenv("SURVEYHUB_SLA_HOLIDAYS", "2026-10-01,10/02")
    with pytest.raises(ImproperlyConfigured, match="SURVEYHUB_SLA_HOLIDAYS: '10/02' is not a"):
        env_dates("SURVEYHUB_SLA_HOLIDAYS")


# Opening, reopening, and reading the due time --------------------------------------------


@pytest.fixture
def golden_week(settings, db):
    """The company's calendar in the settings, and P1 cases on business hours (4 h / 24 h)."""
    settings.SURVEYHUB_SLA_HOLIDAYS = HOLIDAYS
    settings.SURVEYHUB_SLA_EXTRA_WORKDAYS = [WORKED_SATURDAY]
    ensure_case_defaults()
    SlaPolicy.objects.filter(priority="P1").update(business_hours=True)


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        def set(self, moment: datetime) -> None:
            monkeypatch.setattr(timezone, "now", lambda: moment)

    return Clock()


def _p1_case(clock, opened: datetime) -> Case:
    clock.set(opened)
    case = detractor_case(customer=CustomerFactory(attributes={"value_tier": "vip"}), nps=1)
    assert case.priority == "P1"
    return case


def test_a_case_opened_on_the_eve_of_the_holiday_is_due_after_it(golden_week, clock):
    case = _p1_case(clock, at(9, 30, 17))

    assert case.due_first_response_at == at(10, 8, 12)  # 1 h + 3 h
    assert case.due_at == at(10, 8, 17)  # one working day: the next one, same time


def test_a_case_reopened_in_the_holiday_gets_a_new_due_time_after_it(golden_week, clock):
    agent = UserFactory(role=Role.AGENT)
    case = _p1_case(clock, at(9, 29, 10))
    case = case_resolve(
        case=case, reason=ResolutionReason.objects.first(), outcome="recovered", by=agent
    )
    clock.set(at(10, 2, 15))

    case = case_reopen(case=case, by=agent)

    # Counted from the first working moment, Thursday 8 October 9:00; 24 h = one working day.
    assert case.due_at == at(10, 9, 9)


def test_the_case_is_overdue_from_its_due_second_everywhere(golden_week, clock, client):
    case = _p1_case(clock, at(9, 30, 17))
    manager = UserFactory(role=Role.MANAGER)
    client.force_login(manager)

    def readings(now):
        clock.set(now)
        overdue_view = list(case_queue(user=manager, filters=CaseFilters(view="overdue"), now=now))
        service = client.get("/api/v1/dashboard/service/").json()
        return (
            case.is_overdue(now),
            case.sla_state(now),
            overdue_view == [case],
            case_queue_counts(user=manager, now=now)["overdue"],
            service["overdue"],
        )

    assert readings(case.due_at - SECOND) == (False, "near", False, 0, 0)
    assert readings(case.due_at) == (True, "overdue", True, 1, 1)


def test_the_first_response_notice_is_due_at_its_exact_second(golden_week, clock):
    case = _p1_case(clock, at(9, 30, 17))
    due = case.due_first_response_at

    assert "first_response:overdue" not in sla_thresholds_reached(case, due - SECOND)
    assert "first_response:overdue" in sla_thresholds_reached(case, due)


@pytest.fixture
def month_long_p3(clock, db):
    """A P3 case under an admin's policy of 72 h to respond and 30 days to resolve."""
    ensure_case_defaults()
    SlaPolicy.objects.filter(priority="P3").update(resolution_within=timedelta(days=30))
    clock.set(at(11, 2, 10))
    case = detractor_case(nps=5)  # an ordinary customer, no escalation words: P3
    assert (case.priority, case.due_first_response_at, case.due_at) == (
        "P3", at(11, 5, 10), at(12, 2, 10),
    )  # fmt: skip
    return case


def test_an_unanswered_case_is_escalated_from_its_first_response_due_second(month_long_p3):
    due = month_long_p3.due_first_response_at

    assert month_long_p3.pk not in cases_needing_sla_notice(now=due - SECOND)
    assert month_long_p3.pk in cases_needing_sla_notice(now=due)


def test_a_long_policy_gets_its_near_due_notice_a_fifth_of_its_window_ahead(month_long_p3):
    case = month_long_p3
    Case.objects.filter(pk=case.pk).update(first_response_at=at(11, 2, 11))
    near = case.due_at - timedelta(days=6)  # 30 days × 0.2

    assert case.pk not in cases_needing_sla_notice(now=near - SECOND)
    assert case.pk in cases_needing_sla_notice(now=near)


@pytest.mark.parametrize(("late", "in_time"), [(timedelta(0), True), (SECOND, False)])
def test_a_case_resolved_at_its_due_second_is_in_time_and_a_second_later_is_not(
    golden_week, clock, client, late, in_time
):
    agent = UserFactory(role=Role.AGENT)
    case = _p1_case(clock, at(9, 30, 17))
    clock.set(case.due_at + late)
    case_resolve(case=case, reason=ResolutionReason.objects.first(), outcome="recovered", by=agent)
    client.force_login(UserFactory(role=Role.MANAGER))

    metrics = service_metrics(start=at(9, 1, 0), end=at(11, 1, 0))
    dashboard = client.get("/api/v1/dashboard/service/", {"interval": "month"}).json()

    assert metrics["sla_compliance"] == (1.0 if in_time else 0.0)
    (october,) = [p for p in dashboard["over_time"] if p["resolved"]]
    assert october["sla_compliance"] == (100.0 if in_time else 0.0)
