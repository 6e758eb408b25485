"""The case's audit trail: every change appends one CaseEvent, never changed afterwards.

Everything else in `feedback.cases` builds on this module; it builds on nothing there."""

from feedback.models.cases import (
    Case,
    CaseEvent,
)


def case_event_add(case: Case, kind: str, *, by=None, before=None, after=None) -> CaseEvent:
    """Append one event to the case's audit trail (events are never changed afterwards)."""
    return CaseEvent.objects.create(
        case=case, kind=kind, actor=by, before=before or {}, after=after or {}
    )


def case_events_add(events: list[tuple[Case, str, dict, dict]]) -> None:
    """Append many events at once, (case, kind, before, after) each, by the system (the case
    rules of a chunk of responses or a batch of analysed items): one INSERT."""
    CaseEvent.objects.bulk_create(
        CaseEvent(case=case, kind=kind, before=before, after=after)
        for case, kind, before, after in events
    )


def user_label(user) -> str | None:
    return user.get_username() if user is not None else None
