"""The periods an alert compares (pure dates): the last complete week, month or quarter
before a day, and the one before it. Complete periods only, so a rule checked every hour
judges the same figures all day and fires once per period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

WINDOWS = ("week", "month", "quarter")


@dataclass(frozen=True)
class Window:
    """Inclusive local days [start, end] and a stable key ("2026-W48", "2026-11", "2026Q3")."""

    kind: str
    start: dt.date
    end: dt.date

    @property
    def key(self) -> str:
        if self.kind == "week":
            year, week, _day = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind == "month":
            return f"{self.start.year}-{self.start.month:02d}"
        return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"

    def previous(self) -> Window:
        return window_containing(self.start - dt.timedelta(days=1), self.kind)


def window_containing(day: dt.date, kind: str) -> Window:
    if kind == "week":
        start = day - dt.timedelta(days=day.weekday())
        return Window(kind, start, start + dt.timedelta(days=6))
    if kind == "month":
        start = day.replace(day=1)
    elif kind == "quarter":
        start = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    else:
        raise ValueError(f"unknown window {kind!r}")
    months = 1 if kind == "month" else 3
    year, month = divmod(start.month - 1 + months, 12)
    end = dt.date(start.year + year, month + 1, 1) - dt.timedelta(days=1)
    return Window(kind, start, end)


def last_complete(today: dt.date, kind: str) -> Window:
    """The latest window that ended before `today`."""
    return window_containing(today, kind).previous()
