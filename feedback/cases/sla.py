"""SLA due times, in calendar time or in business hours (pure: no Django).

Business hours are working days (Monday–Friday) 9:00–18:00 in Asia/Shanghai, less public
holidays, plus the weekend days worked in their place (调休). A duration counts its whole
days as working days (same clock time N working days later) and the rest as working hours,
so "24 h" in business hours means "the next working day", and a case opened on Friday
evening with 4 working hours is due on Monday at 13:00.

China's public holidays and their 调休 working days come from the `chinese-calendar` package
(`public_calendar=True`, what the case SLAs use), which knows each year once the State Council
has published it. For a year it does not know yet (or any more) the clock falls back to the
team's plain working week and logs a warning once per year: upgrade the package, or list the
days in SURVEYHUB_SLA_HOLIDAYS / SURVEYHUB_SLA_EXTRA_WORKDAYS, which always win.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import chinese_calendar

__all__ = [
    "EVERY_DAY",
    "NEAR_DUE_SHARE",
    "PUBLIC_CALENDAR_YEARS",
    "SHANGHAI_BUSINESS_HOURS",
    "BusinessHours",
    "add_business_time",
    "due_time",
    "is_overdue",
    "public_day",
    "resolved_in_time",
    "sla_state",
]

logger = logging.getLogger(__name__)

# A case is "near due" when at most this share of its SLA window is left.
NEAR_DUE_SHARE = 0.2

# The years chinese-calendar has the State Council's holiday arrangement for.
PUBLIC_CALENDAR_YEARS = range(
    min(day.year for day in chinese_calendar.holidays),
    max(day.year for day in chinese_calendar.holidays) + 1,
)


@cache
def _unknown_year(year: int) -> None:
    logger.warning(
        "chinese-calendar knows China's public holidays for %d–%d only: SLA business hours in "
        "%d count the plain working week (no public holidays, no 调休 working days); upgrade "
        "chinese-calendar or set SURVEYHUB_SLA_HOLIDAYS / SURVEYHUB_SLA_EXTRA_WORKDAYS",
        PUBLIC_CALENDAR_YEARS.start, PUBLIC_CALENDAR_YEARS.stop - 1, year,
    )  # fmt: skip


def public_day(day: date) -> str:
    """ "holiday" (a public holiday, weekend days of the holiday included), "workday" (a
    weekend day worked in its place, 调休) or "" (an ordinary day, or a year not known —
    with a warning, once per year)."""
    if day.year not in PUBLIC_CALENDAR_YEARS:
        _unknown_year(day.year)
        return ""
    if day in chinese_calendar.holidays:
        return "holiday"
    if day in chinese_calendar.workdays:
        return "workday"
    return ""


@dataclass(frozen=True)
class BusinessHours:
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    opens: time = time(9, 0)
    closes: time = time(18, 0)
    workdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday = 0
    holidays: frozenset[date] = frozenset()  # no work, whatever the weekday
    extra_workdays: frozenset[date] = frozenset()  # 调休: worked, whatever the weekday
    # China's public holidays off and their 调休 days worked (chinese-calendar); a team that
    # works public holidays keeps its plain working week on them.
    public_calendar: bool = False
    works_public_holidays: bool = False

    def is_workday(self, day: date) -> bool:
        if day in self.extra_workdays:
            return True
        if day in self.holidays:
            return False
        if self.public_calendar:
            kind = public_day(day)
            if kind == "holiday" and not self.works_public_holidays:
                return False
            if kind == "workday":
                return True
        return day.weekday() in self.workdays

    def opening(self, day: date) -> datetime:
        return datetime.combine(day, self.opens, tzinfo=self.tz)

    def closing(self, day: date) -> datetime:
        return datetime.combine(day, self.closes, tzinfo=self.tz)

    def next_workday(self, day: date) -> date:
        day += timedelta(days=1)
        while not self.is_workday(day):
            day += timedelta(days=1)
        return day


SHANGHAI_BUSINESS_HOURS = BusinessHours()
EVERY_DAY = frozenset(range(7))


def _clamp_to_open(moment: datetime, hours: BusinessHours) -> datetime:
    """The first working moment at or after `moment` (in the business time zone)."""
    local = moment.astimezone(hours.tz)
    day = local.date()
    if hours.is_workday(day):
        if local < hours.opening(day):
            return hours.opening(day)
        if local < hours.closing(day):
            return local
    return hours.opening(hours.next_workday(day))


def add_business_time(
    start: datetime, duration: timedelta, hours: BusinessHours = SHANGHAI_BUSINESS_HOURS
) -> datetime:
    """`start` plus `duration` counted in business hours (whole days as working days)."""
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    if duration < timedelta(0):
        raise ValueError("duration must not be negative")
    moment = _clamp_to_open(start, hours)
    for _ in range(duration.days):
        day = hours.next_workday(moment.date())
        moment = datetime.combine(day, moment.timetz())
    remaining = duration - timedelta(days=duration.days)
    while remaining > timedelta(0):
        available = hours.closing(moment.date()) - moment
        if remaining <= available:
            return moment + remaining
        remaining -= available
        moment = hours.opening(hours.next_workday(moment.date()))
    return moment


def due_time(
    start: datetime,
    duration: timedelta,
    *,
    business_hours: bool,
    hours: BusinessHours = SHANGHAI_BUSINESS_HOURS,
) -> datetime:
    """When something started at `start` is due: calendar time, or business hours."""
    if business_hours:
        return add_business_time(start, duration, hours)
    return start + duration


def is_overdue(due: datetime | None, now: datetime) -> bool:
    """Past due from the due moment itself: due at 10:00 is overdue at 10:00."""
    return due is not None and due <= now


def resolved_in_time(resolved: datetime, due: datetime | None) -> bool:
    """Resolved at or before its due time (SLA compliance); no due time is always in time."""
    return due is None or resolved <= due


def sla_state(due: datetime | None, started: datetime, now: datetime) -> str:
    """ "overdue", "near" (at most NEAR_DUE_SHARE of the window from `started` to `due` left)
    or "" (also without a due time)."""
    if due is None:
        return ""
    if is_overdue(due, now):
        return "overdue"
    if due - now <= (due - started) * NEAR_DUE_SHARE:
        return "near"
    return ""
