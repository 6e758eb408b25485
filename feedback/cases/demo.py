"""Demo cases for `seed_demo`: the rules run on the demo's recent detractors, and the cases
are worked into every state (notes, replies, calls, resolutions, events) by the services.
Idempotent: a case that has been worked already is left as it is."""

from bisect import bisect_right
from collections.abc import Callable
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.utils import timezone

from feedback.cases.contact import case_log_call, case_reply, case_reply_deliver
from feedback.cases.due import due_dates
from feedback.cases.opening import cases_open_for_response
from feedback.cases.rules import active_rules, ensure_case_defaults, score_rules_q
from feedback.cases.services import (
    case_assign,
    case_claim,
    case_close,
    case_note_add,
    case_resolve,
    case_start,
    case_wait_on_customer,
)
from feedback.models.cases import (
    Case,
    CaseEvent,
    CaseNote,
    CaseReply,
    CaseStatus,
    CaseTeam,
    ResolutionReason,
)
from surveys.models import Response, ResponseStatus

DEMO_CASES = 18
STATES = [
    CaseStatus.NEW,
    CaseStatus.ASSIGNED,
    CaseStatus.IN_PROGRESS,
    CaseStatus.WAITING_ON_CUSTOMER,
    CaseStatus.RESOLVED,
    CaseStatus.CLOSED,
]
NOTES = [
    "客户是三年老顾客，优先处理。",
    "已核实订单，物流确实延误了 5 天。",
    "客户情绪激动，先电话安抚。",
]
REPLY = "您好，非常抱歉给您带来不便。我们已核实情况，会尽快为您处理，有进展会第一时间联系您。"
# The services work a demo case within a second; its times are then laid out as a service
# team's would be (hours after the case opened): first response, resolution, closing.
FIRST_RESPONSE_HOURS = [0.5, 2.0, 3.5, 1.2, 6.0, 20.0]
RESOLUTION_HOURS = [5.0, 26.0, 50.0, 9.0, 80.0, 30.0]
CLOSED_AFTER_RESOLUTION = timedelta(days=1)
# A case still open was opened this long ago (or when its response came in, if later), a
# few hours more for each later case in the same state: the queue holds cases on time, due
# soon and overdue (a case in progress for over two weeks), not only month-old ones.
OPEN_FOR_HOURS = {
    CaseStatus.NEW: 3.0,
    CaseStatus.ASSIGNED: 30.0,
    CaseStatus.IN_PROGRESS: 400.0,
    CaseStatus.WAITING_ON_CUSTOMER: 52.0,
}


def _unhappy_responses() -> list[int]:
    """The latest responses the active score rules open a case for (detractors, low CSAT…)."""
    unhappy = score_rules_q(active_rules())
    if unhappy is None:
        return []
    return list(
        Response.objects.filter(status=ResponseStatus.COMPLETED, customer__isnull=False)
        .filter(unhappy)
        .exclude(customer__email="")
        .order_by("-completed_at", "-pk")
        .values_list("pk", flat=True)[:DEMO_CASES]
    )


def _work(case: Case, target: str, *, agent, manager, reasons: list, index: int) -> None:
    if target == CaseStatus.NEW:
        return
    if index % 2:
        case = case_assign(case=case, assignee=agent, by=manager)
    else:
        case = case_claim(case=case, by=agent)
    if target == CaseStatus.ASSIGNED:
        return
    case_note_add(case=case, text=NOTES[index % len(NOTES)], by=agent)
    if index % 3:
        reply = case_reply(case=case, message=REPLY, by=agent)
        # Delivered here, quietly: the demo mails nobody (the queued task then finds it sent).
        case_reply_deliver(
            reply_id=reply.pk,
            connection=get_connection("django.core.mail.backends.dummy.EmailBackend"),
        )
    else:
        case_log_call(case=case, summary="已致电客户，说明了处理方案，客户表示理解。", by=agent)
    case = Case.objects.get(pk=case.pk)
    if case.status != CaseStatus.IN_PROGRESS:
        case = case_start(case=case, by=agent)
    if target == CaseStatus.WAITING_ON_CUSTOMER:
        case_wait_on_customer(case=case, by=agent)
    elif target in (CaseStatus.RESOLVED, CaseStatus.CLOSED):
        outcome = "recovered" if index % 4 else "not_recovered"
        case = case_resolve(
            case=case, reason=reasons[index % len(reasons)], outcome=outcome, by=agent
        )
        if target == CaseStatus.CLOSED:
            case_close(case=case, by=manager)


def _backdate(case: Case, *, responded: datetime, index: int) -> None:
    """Move a freshly worked case to when its response came in (a case still open: hours
    ago), its first response and resolution hours later (never past now), and its notes,
    replies and events with it."""
    case = Case.objects.get(pk=case.pk)
    now = timezone.now()
    opened = responded + timedelta(minutes=5)
    if case.resolved_at is None:
        hours = OPEN_FOR_HOURS.get(case.status, 3.0) + 5.0 * (index // len(STATES))
        opened = max(opened, now - timedelta(hours=hours))
    first = timedelta(hours=FIRST_RESPONSE_HOURS[index % len(FIRST_RESPONSE_HOURS)])
    resolution = timedelta(hours=RESOLUTION_HOURS[index % len(RESOLUTION_HOURS)])
    closing = resolution + CLOSED_AFTER_RESOLUTION
    last = closing if case.closed_at else resolution if case.resolved_at else first
    # A case on a response of an hour ago has had an hour: its times shrink to fit.
    room = (now - timedelta(minutes=1)) - opened
    if room <= timedelta(0):
        return
    if last > room:
        first, resolution, closing = (t * (room / last) for t in (first, resolution, closing))
    # Where each moment of the real work goes: the case's own times as anchors, the
    # moments between them in proportion, the ones after the last kept as far apart.
    anchors = [(case.created_at, opened)]
    for moment, moved in (
        (case.first_response_at, opened + first),
        (case.resolved_at, opened + resolution),
        (case.closed_at, opened + closing),
    ):
        if moment is not None and moment > anchors[-1][0]:
            anchors.append((moment, moved))
    anchors.append((anchors[-1][0] + timedelta(days=1), anchors[-1][1] + timedelta(days=1)))

    def moved(moment: datetime | None) -> datetime | None:
        if moment is None:
            return None
        i = max(bisect_right([a for a, _ in anchors], moment) - 1, 0)
        (a0, b0), (a1, b1) = anchors[i], anchors[min(i + 1, len(anchors) - 1)]
        if a1 <= a0:
            return b0 + (moment - a0)
        return b0 + (b1 - b0) * ((moment - a0) / (a1 - a0))

    due_first, due = due_dates(case.priority, opened, case.team)
    Case.objects.filter(pk=case.pk).update(
        created_at=opened,
        sla_started_at=opened,
        due_first_response_at=due_first,
        due_at=due,
        first_response_at=moved(case.first_response_at),
        resolved_at=moved(case.resolved_at),
        closed_at=moved(case.closed_at),
    )
    notes, replies, events = (
        list(model.objects.filter(case=case)) for model in (CaseNote, CaseReply, CaseEvent)
    )
    for row in (*notes, *replies, *events):
        row.created_at = moved(row.created_at)
    for reply in replies:
        reply.sent_at = moved(reply.sent_at)
    CaseNote.objects.bulk_update(notes, ["created_at"])
    CaseReply.objects.bulk_update(replies, ["created_at", "sent_at"])
    CaseEvent.objects.bulk_update(events, ["created_at"])


def seed(*, log: Callable[[str], None]) -> None:
    ensure_case_defaults()
    users = get_user_model().objects
    agent, manager = (
        users.filter(username="agent").first(),
        users.filter(username="manager").first(),
    )
    if agent is None or manager is None:
        log("Cases: demo users missing; run the users step first.")
        return
    team, _created = CaseTeam.objects.get_or_create(name="客服一组", defaults={"manager": manager})
    team.members.add(agent)
    reasons = list(ResolutionReason.objects.filter(is_active=True))
    worked = 0
    for index, response_id in enumerate(_unhappy_responses()):
        case = cases_open_for_response(response_id=response_id)
        if case is None or case.events.count() > 1:
            continue  # not opened by the rules, or worked on an earlier run
        _work(case, STATES[index % len(STATES)], agent=agent, manager=manager, reasons=reasons,
              index=index)  # fmt: skip
        completed = Response.objects.values_list("completed_at", flat=True).get(pk=response_id)
        _backdate(case, responded=completed, index=index)
        worked += 1
    log(f"Cases: {Case.objects.count()} in total, {worked} worked now.")
