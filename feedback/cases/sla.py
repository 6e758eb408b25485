"""SLA due times, in calendar time or in business hours (pure: no Django).

Business hours are working days (Monday–Friday) 9:00–18:00 in Asia/Shanghai. A duration
counts its whole days as working days (same clock time N working days later) and the rest
as working hours, so "24 h" in business hours means "the next working day", and a case
opened on Friday evening with 4 working hours is due on Monday at 13:00.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = ["SHANGHAI_BUSINESS_HOURS", "BusinessHours", "add_business_time", "due_time"]


@dataclass(frozen=True)
class BusinessHours:
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    opens: time = time(9, 0)
    closes: time = time(18, 0)
    workdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday = 0

    def is_workday(self, day: date) -> bool:
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
