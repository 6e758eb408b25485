"""When a case is due: its SLA policy (first response, resolution) counted on its team's
calendar from the time its clock starts (feedback.cases.sla does the counting)."""

from datetime import datetime, timedelta

from django.conf import settings

from feedback.cases.rules import DEFAULT_SLAS
from feedback.cases.sla import EVERY_DAY, SHANGHAI_BUSINESS_HOURS, BusinessHours, due_time
from feedback.models.cases import CaseTeam, SlaPolicy

WORKING_WEEK = SHANGHAI_BUSINESS_HOURS.workdays

# priority → (first response within, resolution within, counted in business hours)
SlaTable = dict[str, tuple[timedelta, timedelta, bool]]


def business_hours(team: CaseTeam | None = None) -> BusinessHours:
    """The SLA clock's working days: Monday–Friday 9:00–18:00 less China's public holidays
    plus their 调休 working days (chinese-calendar), or the team's own week (weekends, public
    holidays worked); the configured days (settings.SURVEYHUB_SLA_*) always win."""
    return BusinessHours(
        holidays=frozenset(settings.SURVEYHUB_SLA_HOLIDAYS),
        extra_workdays=frozenset(settings.SURVEYHUB_SLA_EXTRA_WORKDAYS),
        public_calendar=True,
        workdays=EVERY_DAY if team is not None and team.works_weekends else WORKING_WEEK,
        works_public_holidays=team is not None and team.works_public_holidays,
    )


def sla_table() -> SlaTable:
    """Every priority's SLA in one query (the admins' policies, else the defaults), for
    callers that compute the due dates of many cases at once."""
    table: SlaTable = {p: (first, within, False) for p, (first, within) in DEFAULT_SLAS.items()}
    for policy in SlaPolicy.objects.all():
        table[policy.priority] = (
            policy.first_response_within, policy.resolution_within, policy.business_hours
        )  # fmt: skip
    return table


def due_dates(
    priority: str, start: datetime, team: CaseTeam | None = None, *, table: SlaTable | None = None
) -> tuple[datetime, datetime]:
    """(first response due, resolution due) of a case of `priority` whose clock starts at
    `start`, by its SLA policy (read now, or from `table`) and its team's calendar."""
    if table is not None:
        first, resolution, business = table[priority]
    else:
        policy = SlaPolicy.objects.filter(priority=priority).first()
        if policy is None:
            first, resolution = DEFAULT_SLAS[priority]
            business = False
        else:
            first, resolution = policy.first_response_within, policy.resolution_within
            business = policy.business_hours
    hours = business_hours(team)
    return (
        due_time(start, first, business_hours=business, hours=hours),
        due_time(start, resolution, business_hours=business, hours=hours),
    )
