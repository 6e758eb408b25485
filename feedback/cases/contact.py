"""Contacting the customer from a case: email replies (sent by a task) and logged calls; the
first contact sets the first-response time."""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.cases.emails import case_reply_email, reply_language, reply_subject
from feedback.cases.events import case_event_add
from feedback.cases.services import (
    CaseError,
    assign_to,
    locked_case,
    refuse_unless_may_act,
    set_status,
)
from feedback.models.cases import (
    Case,
    CaseNote,
    CaseNoteKind,
    CaseReply,
    CaseReplyStatus,
    CaseStatus,
)
from surveyhub.tasking.declare import enqueue_on_commit
from surveys.distribution.emails import classify_send_error


def _first_contact(case: Case, *, by, now: datetime) -> None:
    if case.first_response_at is None:
        case.first_response_at = now
        case.save(update_fields=["first_response_at", "updated_at"])
        case_event_add(case, "first_response", by=by, after={"at": now.isoformat()})
    if case.status in (CaseStatus.NEW, CaseStatus.ASSIGNED):
        if case.assignee_id is None and by is not None:
            assign_to(case, assignee=by, by=by, kind="claimed")
        set_status(case, CaseStatus.IN_PROGRESS, by=by)


def _refuse_contact_when_closed(case: Case) -> None:
    if case.status == CaseStatus.CLOSED:
        raise CaseError(_("Cannot contact the customer from a closed case; reopen it first."))


@transaction.atomic
def case_reply(*, case: Case, message: str, by, subject: str = "") -> CaseReply:
    """Email the customer from the case (sent by a task once committed); the first reply
    sets the first-response time."""
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("customer", "assignee")
        .get(pk=case.pk)
    )
    refuse_unless_may_act(case, by)
    _refuse_contact_when_closed(case)
    message = (message or "").strip()
    if not message:
        raise CaseError(_("Write the reply before sending it."), field="message")
    customer = case.customer
    if customer is None or not customer.email:
        raise CaseError(_("This customer has no email address; log a phone call instead."))
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
    case = locked_case(case)
    refuse_unless_may_act(case, by)
    _refuse_contact_when_closed(case)
    summary = (summary or "").strip()
    if not summary:
        raise CaseError(_("Write what was said on the call."), field="summary")
    note = CaseNote.objects.create(case=case, kind=CaseNoteKind.CALL, text=summary, author=by)
    case_event_add(case, "call_logged", by=by, after={"note": note.pk})
    _first_contact(case, by=by, now=note.created_at)
    return note
