"""Reporting periods: quarters ("2026Q3") and months ("2026-10"), in local calendar days."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from surveyhub.api.errors import DomainError

_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class PeriodError(DomainError, ValueError):
    """A period code that is neither a quarter nor a month; the message is translated."""

    field = "period"


@dataclass(frozen=True)
class Period:
    """A quarter or a month: `start` and `end` are inclusive local dates."""

    code: str
    kind: str  # "quarter" | "month"
    start: dt.date
    end: dt.date

    @property
    def end_exclusive(self) -> dt.date:
        return self.end + dt.timedelta(days=1)

    def previous(self) -> Period:
        return period_containing(self.start - dt.timedelta(days=1), kind=self.kind)

    def next(self) -> Period:
        return period_containing(self.end_exclusive, kind=self.kind)

    def window(self) -> tuple[dt.date, dt.date]:
        """Half-open [start, end + 1 day), as analytics.metrics.loyalty expects."""
        return (self.start, self.end_exclusive)


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_midnight(day: dt.date) -> dt.datetime:
    """The aware moment a local calendar day starts (Asia/Shanghai by default)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=local_zone())


def local_today() -> dt.date:
    return dt.datetime.now(tz=local_zone()).date()


def period_parse(code: str) -> Period:
    """Parse "2026Q3" or "2026-10"; raise PeriodError with a translated message otherwise."""
    code = (code or "").strip().upper()
    try:
        if match := _QUARTER.match(code):
            year, quarter = int(match[1]), int(match[2])
            start = dt.date(year, 3 * quarter - 2, 1)
            return Period(code, "quarter", start, _month_end(year, 3 * quarter))
        if match := _MONTH.match(code):
            year, month = int(match[1]), int(match[2])
            return Period(code, "month", dt.date(year, month, 1), _month_end(year, month))
    except ValueError:  # year 0000, or a period ending after the year 9999
        pass
    raise PeriodError(_("Expected a quarter like 2026Q3 or a month like 2026-10."))


def period_containing(day: dt.date, *, kind: str = "quarter") -> Period:
    if kind == "month":
        return period_parse(f"{day.year}-{day.month:02d}")
    return period_parse(f"{day.year}Q{(day.month - 1) // 3 + 1}")


def _month_end(year: int, month: int) -> dt.date:
    first_of_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - dt.timedelta(days=1)
