"""Triage cases: the agent's workflow (claim, assign, start, wait, note, resolve, close, reopen).

Every change appends a CaseEvent; illegal transitions raise CaseError with a translated
message. Opening cases is in `opening`, contacting the customer in `contact`."""

import logging
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.cases.due import due_dates
from feedback.cases.events import case_event_add, user_label
from feedback.cases.opening import case_snapshot
from feedback.cases.resurvey import resurvey_send
from feedback.errors import FeedbackError
from feedback.models.cases import (
    Case,
    CaseNote,
    CaseOutcome,
    CaseStatus,
    ResolutionReason,
)

logger = logging.getLogger(__name__)

CASE_PERMISSION = "feedback.change_case"
REASSIGN_PERMISSION = "feedback.reassign_case"


class CaseError(FeedbackError):
    """A case operation that is not allowed now; the message is translated and safe to show."""


class CaseForbidden(CaseError):
    """The user may not do this to this case (a colleague's case without the reassign
    permission): 403 in the API, an error message on the page."""

    status_code = 403


def may_act_on(case: Case, user) -> bool:
    """The one rule of who works a case: anyone who works cases may act on an unassigned case
    or their own; acting on a colleague's case needs the reassign permission (managers), the
    same that taking it would. The system (no user) always may."""
    if user is None or case.assignee_id is None or case.assignee_id == user.pk:
        return True
    return user.has_perm(REASSIGN_PERMISSION)


def refuse_unless_may_act(case: Case, user) -> None:
    if not may_act_on(case, user):
        raise CaseForbidden(
            _("This case is assigned to %(name)s; only they or a manager can work on it.")
            % {"name": case.assignee.get_username()}
        )


def locked_case(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


# SLA -------------------------------------------------------------------------------------


def _refuse_unless_open(case: Case, message: str) -> None:
    if not case.is_open:
        raise CaseError(message % {"status": case.get_status_display()})


def set_status(case: Case, status: str, *, by, kind: str = "status_changed", extra=None):
    before = {"status": case.status}
    case.status = status
    case.save(update_fields=["status", "updated_at"])
    case_event_add(case, kind, by=by, before=before, after={"status": status, **(extra or {})})


def _check_can_work(user) -> None:
    if user is None or not user.is_active or not user.has_perm(CASE_PERMISSION):
        name = user.get_username() if user is not None else "—"
        raise CaseError(_("%(name)s cannot work on cases.") % {"name": name})


def assign_to(case: Case, *, assignee, by, kind: str) -> Case:
    before = {"assignee": user_label(case.assignee), "status": case.status}
    case.assignee = assignee
    fields = ["assignee", "team", "status", "updated_at"]
    if case.team_id is None:
        case.team = assignee.case_teams.order_by("pk").first()
        if case.team is not None and (case.team.works_weekends or case.team.works_public_holidays):
            # The team keeps its own calendar: its SLA clock counts its working days.
            due_first, case.due_at = due_dates(case.priority, case.sla_started_at, case.team)
            if case.first_response_at is None:
                case.due_first_response_at = due_first
            fields += ["due_at", "due_first_response_at"]
    if case.status == CaseStatus.NEW:
        case.status = CaseStatus.ASSIGNED
    case.save(update_fields=fields)
    case_event_add(
        case, kind, by=by, before=before,
        after={"assignee": assignee.get_username(), "status": case.status},
    )  # fmt: skip
    return case


@transaction.atomic
def case_claim(*, case: Case, by) -> Case:
    """Take an unassigned case (or keep one already yours)."""
    case = locked_case(case)
    _refuse_unless_open(case, _("Cannot claim a case that is %(status)s; reopen it first."))
    _check_can_work(by)
    if case.assignee_id == by.pk:
        return case
    if case.assignee_id is not None:
        raise CaseError(
            _("This case is already assigned to %(name)s; ask a manager to reassign it.")
            % {"name": case.assignee.get_username()}
        )
    return assign_to(case, assignee=by, by=by, kind="claimed")


@transaction.atomic
def case_assign(*, case: Case, assignee, by) -> Case:
    """Give a case to someone; assigning to another person needs the reassign permission."""
    case = locked_case(case)
    _refuse_unless_open(case, _("Cannot assign a case that is %(status)s; reopen it first."))
    if by is not None and assignee != by and not by.has_perm(REASSIGN_PERMISSION):
        raise CaseError(_("Only a manager can assign a case to someone else."))
    taking_over = case.assignee_id is not None and case.assignee_id != assignee.pk
    if by is not None and taking_over and not by.has_perm(REASSIGN_PERMISSION):
        # Assigning oneself a colleague's case is a reassignment too, as in case_claim.
        raise CaseError(
            _("This case is already assigned to %(name)s; ask a manager to reassign it.")
            % {"name": case.assignee.get_username()}
        )
    _check_can_work(assignee)
    if case.assignee_id == assignee.pk:
        return case
    return assign_to(case, assignee=assignee, by=by, kind="assigned")


@transaction.atomic
def cases_bulk_assign(*, case_ids: Sequence[int], assignee, by) -> int:
    """Assign several cases at once: all of them or, on the first refusal, none."""
    cases = list(Case.objects.filter(pk__in=case_ids).order_by("pk"))
    if len(cases) != len(set(case_ids)):
        raise CaseError(_("Some of the selected cases no longer exist."))
    for case in cases:
        case_assign(case=case, assignee=assignee, by=by)
    return len(cases)


@transaction.atomic
def case_start(*, case: Case, by) -> Case:
    """Start working a case (it becomes yours if nobody has it)."""
    case = locked_case(case)
    refuse_unless_may_act(case, by)
    if case.status not in (CaseStatus.NEW, CaseStatus.ASSIGNED, CaseStatus.WAITING_ON_CUSTOMER):
        raise CaseError(
            _("Cannot start work on a case that is %(status)s.")
            % {"status": case.get_status_display()}
        )
    if case.assignee_id is None:
        _check_can_work(by)
        assign_to(case, assignee=by, by=by, kind="claimed")
    set_status(case, CaseStatus.IN_PROGRESS, by=by)
    return case


@transaction.atomic
def case_wait_on_customer(*, case: Case, by) -> Case:
    """The next step is the customer's (a call-back, a photo, a delivery)."""
    case = locked_case(case)
    refuse_unless_may_act(case, by)
    if case.status not in (CaseStatus.ASSIGNED, CaseStatus.IN_PROGRESS):
        raise CaseError(
            _("Only an assigned case or one in progress can wait on the customer; "
              "this one is %(status)s.") % {"status": case.get_status_display()}
        )  # fmt: skip
    set_status(case, CaseStatus.WAITING_ON_CUSTOMER, by=by)
    return case


@transaction.atomic
def case_note_add(*, case: Case, text: str, by) -> CaseNote:
    """An internal note: staff only, never part of anything sent to the customer."""
    case = locked_case(case)
    refuse_unless_may_act(case, by)
    text = (text or "").strip()
    if not text:
        raise CaseError(_("Write the note before saving it."), field="text")
    note = CaseNote.objects.create(case=case, text=text, author=by)
    case_event_add(case, "note_added", by=by, after={"note": note.pk})
    return note


@transaction.atomic
def case_resolve(
    *,
    case: Case,
    reason: ResolutionReason,
    outcome: str,
    by,
    resurvey: bool = False,
) -> Case:
    """Resolve with a reason and an outcome; optionally send the one-question re-survey."""
    case = locked_case(case)
    refuse_unless_may_act(case, by)
    if case.status == CaseStatus.CLOSED:
        raise CaseError(_("Cannot resolve a closed case; reopen it first."))
    if case.status == CaseStatus.RESOLVED:
        raise CaseError(_("This case is already resolved."))
    if reason is None or not reason.is_active:
        raise CaseError(_("Choose a resolution reason."), field="reason")
    if outcome not in CaseOutcome.values:
        raise CaseError(_("Choose an outcome: recovered or not recovered."), field="outcome")
    before = case_snapshot(case)
    now = timezone.now()
    if case.assignee_id is None and by is not None:
        assign_to(case, assignee=by, by=by, kind="claimed")
    case.status, case.resolved_at = CaseStatus.RESOLVED, now
    case.resolution_reason, case.outcome = reason, outcome
    case.save(update_fields=["status", "resolved_at", "resolution_reason", "outcome", "updated_at"])
    case_event_add(
        case, "resolved", by=by, before={"status": before["status"]},
        after={"status": case.status, "reason": reason.name, "outcome": outcome},
    )  # fmt: skip
    if resurvey:
        resurvey_send(case=case, by=by)
    return case


@transaction.atomic
def case_close(*, case: Case, by) -> Case:
    """Close a resolved case: nothing more to do."""
    case = locked_case(case)
    refuse_unless_may_act(case, by)
    if case.status == CaseStatus.CLOSED:
        raise CaseError(_("This case is already closed."))
    if case.status != CaseStatus.RESOLVED:
        raise CaseError(_("Only a resolved case can be closed; resolve it first."))
    case.status, case.closed_at = CaseStatus.CLOSED, timezone.now()
    case.save(update_fields=["status", "closed_at", "updated_at"])
    case_event_add(
        case, "closed", by=by, before={"status": CaseStatus.RESOLVED}, after={"status": "closed"}
    )
    return case


@transaction.atomic
def case_reopen(*, case: Case, by) -> Case:
    """Reopen a resolved or closed case: the resolution clock starts again."""
    case = locked_case(case)
    refuse_unless_may_act(case, by)
    if case.is_open:
        raise CaseError(_("This case is still open."))
    before = {
        "status": case.status,
        "reason": case.resolution_reason.name if case.resolution_reason_id else None,
        "outcome": case.outcome,
    }
    now = timezone.now()
    case.status = CaseStatus.ASSIGNED if case.assignee_id else CaseStatus.NEW
    case.resolved_at = case.closed_at = None
    case.resolution_reason, case.outcome = None, ""
    case.sla_started_at, case.sla_notified = now, []
    due_first, case.due_at = due_dates(case.priority, now, case.team)
    if case.first_response_at is None:
        case.due_first_response_at = due_first
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError as exc:
        raise CaseError(
            _("Another case is open for this customer and response; work that one instead.")
        ) from exc
    case_event_add(case, "reopened", by=by, before=before, after={"status": case.status})
    return case
