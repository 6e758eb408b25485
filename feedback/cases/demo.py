"""Demo cases for `seed_demo`: the rules run on the demo's recent detractors, and the cases
are worked into every state (notes, replies, calls, resolutions, events) by the services.
Idempotent: a case that has been worked already is left as it is."""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.core.mail import get_connection

from feedback.cases.contact import case_log_call, case_reply, case_reply_deliver
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
from feedback.models.cases import Case, CaseStatus, CaseTeam, ResolutionReason
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
        worked += 1
    log(f"Cases: {Case.objects.count()} in total, {worked} worked now.")
