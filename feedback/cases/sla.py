"""SLA due times, in calendar time or in business hours (pure: no Django).

Business hours are working days (Monday–Friday) 9:00–18:00 in Asia/Shanghai, less public
holidays, plus the weekend days worked in their place (调休). A duration counts its whole
days as working days (same clock time N working days later) and the rest as working hours,
so "24 h" in business hours means "the next working day", and a case opened on Friday
evening with 4 working hours is due on Monday at 13:00.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = [
    "NEAR_DUE_SHARE",
    "SHANGHAI_BUSINESS_HOURS",
    "BusinessHours",
    "add_business_time",
    "due_time",
    "is_overdue",
    "resolved_in_time",
    "sla_state",
]

# A case is "near due" when at most this share of its SLA window is left.
NEAR_DUE_SHARE = 0.2


@dataclass(frozen=True)
class BusinessHours:
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    opens: time = time(9, 0)
    closes: time = time(18, 0)
    workdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday = 0
    holidays: frozenset[date] = frozenset()  # no work, whatever the weekday
    extra_workdays: frozenset[date] = frozenset()  # 调休: worked, whatever the weekday

    def is_workday(self, day: date) -> bool:
        if day in self.extra_workdays:
            return True
        return day.weekday() in self.workdays and day not in self.holidays

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
