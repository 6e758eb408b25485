"""Triage cases: the only code that writes them.

Rules open a case for an unhappy response or a negative feedback item — at most one open
case per customer and response, guaranteed by partial unique constraints, with rows locked
while a case is extended. Agents then claim, work, reply, resolve and close it; every
change appends a CaseEvent. Illegal transitions raise CaseError with a translated message.
"""

import logging
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.cases.priority import case_priority, raise_priority, value_tier
from feedback.cases.rules import (
    DEFAULT_SLAS,
    RuleMatch,
    active_rules,
    match_response,
    match_sentiment,
)
from feedback.cases.sla import due_time
from feedback.errors import FeedbackError
from feedback.models import FeedbackItem, SentimentLabel
from feedback.models.cases import (
    OPEN_CASE_STATUSES,
    Case,
    CaseEvent,
    CaseNote,
    CaseNoteKind,
    CaseOutcome,
    CaseReply,
    CaseReplyStatus,
    CaseStatus,
    ResolutionReason,
    SlaPolicy,
)
from surveyhub.tasking.declare import enqueue_on_commit
from surveys.models import Customer, Response, ResponseStatus

logger = logging.getLogger(__name__)

CASE_PERMISSION = "feedback.change_case"
REASSIGN_PERMISSION = "feedback.reassign_case"


class CaseError(FeedbackError):
    """A case operation that is not allowed now; the message is translated and safe to show."""


# Events ----------------------------------------------------------------------------------


def case_event_add(case: Case, kind: str, *, by=None, before=None, after=None) -> CaseEvent:
    """Append one event to the case's audit trail (events are never changed afterwards)."""
    return CaseEvent.objects.create(
        case=case, kind=kind, actor=by, before=before or {}, after=after or {}
    )


def _user_label(user) -> str | None:
    return user.get_username() if user is not None else None


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


# SLA -------------------------------------------------------------------------------------


def _due_dates(priority: str, start: datetime) -> tuple[datetime, datetime]:
    policy = SlaPolicy.objects.filter(priority=priority).first()
    if policy is None:
        first, resolution = DEFAULT_SLAS[priority]
        business = False
    else:
        first, resolution = policy.first_response_within, policy.resolution_within
        business = policy.business_hours
    return (
        due_time(start, first, business_hours=business),
        due_time(start, resolution, business_hours=business),
    )


# Opening ---------------------------------------------------------------------------------


def _merge_triggers(existing: list[dict], matches: Iterable[RuleMatch]) -> list[dict]:
    merged = list(existing)
    for match in matches:
        if match.as_json() not in merged:
            merged.append(match.as_json())
    return merged


def _open_or_extend(
    *,
    customer: Customer | None,
    response: Response | None,
    item_ids: Sequence[int],
    matches: list[RuleMatch],
) -> Case:
    lookup: dict = {"status__in": OPEN_CASE_STATUSES}
    if response is not None:
        lookup["response"] = response
    else:
        lookup.update(customer=customer, response=None)
    with transaction.atomic():
        case = Case.objects.select_for_update().filter(**lookup).first()
        if case is None:
            tier = value_tier(customer)
            priority = case_priority(
                severe=any(m.severe for m in matches), bumps=[m.bump for m in matches], tier=tier
            )
            now = timezone.now()
            due_first, due = _due_dates(priority, now)
            try:
                with transaction.atomic():
                    case = Case.objects.create(
                        customer=customer, response=response, priority=priority,
                        value_tier=tier, triggers=_merge_triggers([], matches),
                        created_at=now, sla_started_at=now,
                        due_first_response_at=due_first, due_at=due,
                    )  # fmt: skip
            except IntegrityError:
                # Another worker opened it between our read and insert: extend theirs.
                case = Case.objects.select_for_update().get(**lookup)
            else:
                case.feedback_items.add(*item_ids)
                case_event_add(case, "opened", after=_snapshot(case))
                return case
        # The value tier is the one seen at opening: a nightly re-rating of the customer
        # must not move the case when the rules run again.
        priority = case_priority(
            severe=any(m.severe for m in matches),
            bumps=[m.bump for m in matches],
            tier=case.value_tier,
        )
        _extend(case, matches=matches, item_ids=item_ids, priority=priority)
        return case


def _extend(case: Case, *, matches: list[RuleMatch], item_ids: Sequence[int], priority: str):
    before = {"priority": case.priority, "triggers": case.triggers}
    case.triggers = _merge_triggers(case.triggers, matches)
    new_priority = raise_priority(case.priority, priority)
    fields = ["triggers", "updated_at"]
    if new_priority != case.priority:
        case.priority = new_priority
        due_first, due = _due_dates(new_priority, case.sla_started_at)
        case.due_first_response_at = min(filter(None, [case.due_first_response_at, due_first]))
        case.due_at = min(filter(None, [case.due_at, due]))
        fields += ["priority", "due_first_response_at", "due_at"]
    new_items = set(item_ids) - set(case.feedback_items.values_list("pk", flat=True))
    if new_items:
        case.feedback_items.add(*new_items)
    if case.triggers != before["triggers"] or "priority" in fields or new_items:
        case.save(update_fields=fields)
        case_event_add(
            case,
            "extended",
            before=before,
            after={
                "priority": case.priority,
                "triggers": case.triggers,
                "items": sorted(new_items),
            },
        )


def _snapshot(case: Case) -> dict:
    return {
        "status": case.status,
        "priority": case.priority,
        "assignee": _user_label(case.assignee) if case.assignee_id else None,
        "triggers": case.triggers,
        "due_at": case.due_at.isoformat() if case.due_at else None,
    }


def _has_settled_case(response_id: int) -> bool:
    """A response whose case is already resolved or closed never opens another one."""
    return (
        Case.objects.filter(response_id=response_id).exclude(status__in=OPEN_CASE_STATUSES).exists()
    )


def cases_open_for_response(*, response_id: int) -> Case | None:
    """Run the rules on a completed response (scores, escalation words); open or extend its
    case. Idempotent: running twice, or several rules matching, leaves one open case."""
    response = (
        Response.objects.select_related("customer")
        .filter(pk=response_id, status=ResponseStatus.COMPLETED)
        .first()
    )
    if response is None:
        return None
    texts = [t for pair in response.answers.values_list("text", "other_text") for t in pair if t]
    matches = match_response(
        active_rules(),
        nps=response.nps_score,
        csat=response.csat_score,
        ces=response.ces_score,
        texts=texts,
    )
    if not matches or _has_settled_case(response.pk):
        return None
    item_ids = list(FeedbackItem.objects.filter(response=response).values_list("pk", flat=True))
    return _open_or_extend(
        customer=response.customer, response=response, item_ids=item_ids, matches=matches
    )


def cases_sweep_missed_responses(*, since: datetime, limit: int = 500) -> int:
    """Run the rules on recent unhappy responses that have no case (the on-commit receiver
    failed or never ran); safe to repeat. Escalation words are left to the receiver."""
    from feedback.cases.resurvey import RESURVEY_SLUG  # it builds on this module
    from feedback.models.cases import CaseRuleKind

    fields = {
        CaseRuleKind.NPS_MAX: "nps_score__lte",
        CaseRuleKind.CSAT_MAX: "csat_score__lte",
        CaseRuleKind.CES_MAX: "ces_score__lte",
    }
    unhappy = Q()
    for rule in active_rules():
        if rule.kind in fields and rule.threshold is not None:
            unhappy |= Q(**{fields[rule.kind]: rule.threshold})
    if not unhappy:
        return 0
    missed = list(
        Response.objects.filter(unhappy, status=ResponseStatus.COMPLETED, completed_at__gte=since)
        .filter(cases__isnull=True)
        .exclude(survey__slug=RESURVEY_SLUG)  # re-survey answers belong to their case
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    for response_id in missed:
        cases_open_for_response(response_id=response_id)
    return len(missed)


def cases_open_for_feedback(*, item_ids: Iterable[int]) -> list[Case]:
    """Open or extend cases for analysed items with negative sentiment below the rule's
    threshold (or escalation words). Call it after storing analysis results; re-running it
    on the same items changes nothing."""
    rules = active_rules()
    items = (
        FeedbackItem.objects.filter(pk__in=list(item_ids))
        .exclude(cases__isnull=False, cases__status__in=[CaseStatus.RESOLVED, CaseStatus.CLOSED])
        .select_related("customer", "response")
        .order_by("pk")
    )
    opened: list[Case] = []
    for item in items:
        if item.sentiment_corrected and item.sentiment_label != SentimentLabel.NEGATIVE:
            continue
        matches = match_sentiment(rules, score=item.sentiment_score, text=item.text)
        if not matches:
            continue
        if item.response_id and _has_settled_case(item.response_id):
            continue
        if item.customer_id is None and item.response_id is None and item.cases.exists():
            continue
        opened.append(
            _open_or_extend(
                customer=item.customer,
                response=item.response,
                item_ids=[item.pk],
                matches=matches,
            )
        )
    return opened


# Workflow --------------------------------------------------------------------------------


def _refuse_unless_open(case: Case, message: str) -> None:
    if not case.is_open:
        raise CaseError(message % {"status": case.get_status_display()})


def _set_status(case: Case, status: str, *, by, kind: str = "status_changed", extra=None):
    before = {"status": case.status}
    case.status = status
    case.save(update_fields=["status", "updated_at"])
    case_event_add(case, kind, by=by, before=before, after={"status": status, **(extra or {})})


def _check_can_work(user) -> None:
    if user is None or not user.is_active or not user.has_perm(CASE_PERMISSION):
        name = user.get_username() if user is not None else "—"
        raise CaseError(_("%(name)s cannot work on cases.") % {"name": name})


def _assign(case: Case, *, assignee, by, kind: str) -> Case:
    before = {"assignee": _user_label(case.assignee), "status": case.status}
    case.assignee = assignee
    if case.team_id is None:
        case.team = assignee.case_teams.order_by("pk").first()
    if case.status == CaseStatus.NEW:
        case.status = CaseStatus.ASSIGNED
    case.save(update_fields=["assignee", "team", "status", "updated_at"])
    case_event_add(
        case, kind, by=by, before=before,
        after={"assignee": assignee.get_username(), "status": case.status},
    )  # fmt: skip
    return case


@transaction.atomic
def case_claim(*, case: Case, by) -> Case:
    """Take an unassigned case (or keep one already yours)."""
    case = _locked(case)
    _refuse_unless_open(case, _("Cannot claim a case that is %(status)s; reopen it first."))
    _check_can_work(by)
    if case.assignee_id == by.pk:
        return case
    if case.assignee_id is not None:
        raise CaseError(
            _("This case is already assigned to %(name)s; ask a manager to reassign it.")
            % {"name": case.assignee.get_username()}
        )
    return _assign(case, assignee=by, by=by, kind="claimed")


@transaction.atomic
def case_assign(*, case: Case, assignee, by) -> Case:
    """Give a case to someone; assigning to another person needs the reassign permission."""
    case = _locked(case)
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
    return _assign(case, assignee=assignee, by=by, kind="assigned")


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
    case = _locked(case)
    if case.status not in (CaseStatus.NEW, CaseStatus.ASSIGNED, CaseStatus.WAITING_ON_CUSTOMER):
        raise CaseError(
            _("Cannot start work on a case that is %(status)s.")
            % {"status": case.get_status_display()}
        )
    if case.assignee_id is None:
        _check_can_work(by)
        _assign(case, assignee=by, by=by, kind="claimed")
    _set_status(case, CaseStatus.IN_PROGRESS, by=by)
    return case


@transaction.atomic
def case_wait_on_customer(*, case: Case, by) -> Case:
    """The next step is the customer's (a call-back, a photo, a delivery)."""
    case = _locked(case)
    if case.status not in (CaseStatus.ASSIGNED, CaseStatus.IN_PROGRESS):
        raise CaseError(
            _("Only an assigned case or one in progress can wait on the customer; "
              "this one is %(status)s.") % {"status": case.get_status_display()}
        )  # fmt: skip
    _set_status(case, CaseStatus.WAITING_ON_CUSTOMER, by=by)
    return case


@transaction.atomic
def case_note_add(*, case: Case, text: str, by) -> CaseNote:
    """An internal note: staff only, never part of anything sent to the customer."""
    text = (text or "").strip()
    if not text:
        raise CaseError(_("Write the note before saving it."), field="text")
    note = CaseNote.objects.create(case=case, text=text, author=by)
    case_event_add(case, "note_added", by=by, after={"note": note.pk})
    return note


def _first_contact(case: Case, *, by, now: datetime) -> None:
    if case.first_response_at is None:
        case.first_response_at = now
        case.save(update_fields=["first_response_at", "updated_at"])
        case_event_add(case, "first_response", by=by, after={"at": now.isoformat()})
    if case.status in (CaseStatus.NEW, CaseStatus.ASSIGNED):
        if case.assignee_id is None and by is not None:
            _assign(case, assignee=by, by=by, kind="claimed")
        _set_status(case, CaseStatus.IN_PROGRESS, by=by)


def _refuse_contact_when_closed(case: Case) -> None:
    if case.status == CaseStatus.CLOSED:
        raise CaseError(_("Cannot contact the customer from a closed case; reopen it first."))


@transaction.atomic
def case_reply(*, case: Case, message: str, by, subject: str = "") -> CaseReply:
    """Email the customer from the case (sent by a task once committed); the first reply
    sets the first-response time."""
    case = Case.objects.select_for_update(of=("self",)).select_related("customer").get(pk=case.pk)
    _refuse_contact_when_closed(case)
    message = (message or "").strip()
    if not message:
        raise CaseError(_("Write the reply before sending it."), field="message")
    customer = case.customer
    if customer is None or not customer.email:
        raise CaseError(_("This customer has no email address; log a phone call instead."))
    from feedback.cases.emails import reply_language, reply_subject

    language = reply_language(customer)
    reply = CaseReply.objects.create(
        case=case, author=by, to_email=customer.email, language=language,
        subject=(subject.strip() or reply_subject(case, language))[:200], body=message,
    )  # fmt: skip
    case_event_add(case, "reply_queued", by=by, after={"reply": reply.pk, "to": customer.email})
    _first_contact(case, by=by, now=reply.created_at)
    enqueue_on_commit("feedback.send_case_reply", reply.pk)
    return reply


def case_reply_deliver(*, reply_id: int, connection=None) -> str:
    """Send one queued reply, at most once (row locked, only while pending). Raises
    CaseReplyTemporarilyFailed for errors that may pass; returns the reply's status."""
    from feedback.cases.emails import case_reply_email
    from surveys.distribution.emails import classify_send_error

    failure = None
    with transaction.atomic():
        reply = (
            CaseReply.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("case__customer")
            .filter(pk=reply_id, status=CaseReplyStatus.PENDING)
            .first()
        )
        if reply is None:
            return "not_due"
        reply.attempts += 1
        try:
            case_reply_email(reply=reply, connection=connection).send()
        except Exception as exc:
            failure = classify_send_error(exc)
            if failure is None:
                raise
            reply.last_error = failure.description[:500]
            if failure.permanent or reply.attempts >= settings.SURVEYHUB_EMAIL_MAX_ATTEMPTS:
                reply.status = CaseReplyStatus.FAILED
                case_event_add(
                    reply.case, "reply_failed", after={"reply": reply.pk, "error": reply.last_error}
                )
        else:
            reply.status, reply.sent_at = CaseReplyStatus.SENT, timezone.now()
            case_event_add(reply.case, "reply_sent", after={"reply": reply.pk})
        reply.save(update_fields=["status", "attempts", "last_error", "sent_at"])
    if failure is not None and reply.status == CaseReplyStatus.PENDING:
        raise CaseReplyTemporarilyFailed(failure.description)
    return reply.status


class CaseReplyTemporarilyFailed(Exception):
    """The mail server or network failed in a way that may pass: the task retries."""


@transaction.atomic
def case_log_call(*, case: Case, summary: str, by) -> CaseNote:
    """Record a phone call with the customer (internal); the first one sets first response."""
    case = _locked(case)
    _refuse_contact_when_closed(case)
    summary = (summary or "").strip()
    if not summary:
        raise CaseError(_("Write what was said on the call."), field="summary")
    note = CaseNote.objects.create(case=case, kind=CaseNoteKind.CALL, text=summary, author=by)
    case_event_add(case, "call_logged", by=by, after={"note": note.pk})
    _first_contact(case, by=by, now=note.created_at)
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
    case = _locked(case)
    if case.status == CaseStatus.CLOSED:
        raise CaseError(_("Cannot resolve a closed case; reopen it first."))
    if case.status == CaseStatus.RESOLVED:
        raise CaseError(_("This case is already resolved."))
    if reason is None or not reason.is_active:
        raise CaseError(_("Choose a resolution reason."), field="reason")
    if outcome not in CaseOutcome.values:
        raise CaseError(_("Choose an outcome: recovered or not recovered."), field="outcome")
    before = _snapshot(case)
    now = timezone.now()
    if case.assignee_id is None and by is not None:
        _assign(case, assignee=by, by=by, kind="claimed")
    case.status, case.resolved_at = CaseStatus.RESOLVED, now
    case.resolution_reason, case.outcome = reason, outcome
    case.save(update_fields=["status", "resolved_at", "resolution_reason", "outcome", "updated_at"])
    case_event_add(
        case, "resolved", by=by, before={"status": before["status"]},
        after={"status": case.status, "reason": reason.name, "outcome": outcome},
    )  # fmt: skip
    if resurvey:
        from feedback.cases.resurvey import resurvey_send  # it builds on this module

        resurvey_send(case=case, by=by)
    return case


@transaction.atomic
def case_close(*, case: Case, by) -> Case:
    """Close a resolved case: nothing more to do."""
    case = _locked(case)
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
    case = _locked(case)
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
    due_first, case.due_at = _due_dates(case.priority, now)
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
