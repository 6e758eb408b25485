"""Watching SLAs: which open cases are near or past due, notifying the assignee and, when
overdue, escalating to the team's manager — each threshold once per SLA period — and
finding replies stuck in the queue. Called by the periodic task in case_tasks.py."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from feedback.cases.emails import send_sla_notice, sla_recipients
from feedback.cases.events import case_event_add
from feedback.cases.sla import is_overdue
from feedback.models.cases import (
    NEAR_DUE_SHARE,
    OPEN_CASE_STATUSES,
    Case,
    CaseReply,
    CaseReplyStatus,
)

# SLA watch -------------------------------------------------------------------------------


def sla_thresholds_reached(case: Case, now: datetime) -> list[str]:
    """Thresholds (`first_response:overdue`, `resolution:near`, `resolution:overdue`) the
    case has reached and not yet been notified of."""
    reached = []
    first_due = case.due_first_response_at
    if case.first_response_at is None and is_overdue(first_due, now):
        reached.append("first_response:overdue")
    state = case.sla_state(now)
    if state:
        reached.append(f"resolution:{state}")
    return [t for t in reached if t not in case.sla_notified]


def cases_needing_sla_notice(*, now: datetime | None = None) -> list[int]:
    """Ids of open cases with a threshold reached and not yet notified."""
    now = now or timezone.now()
    open_cases = Case.objects.filter(status__in=OPEN_CASE_STATUSES)
    # A case is near due NEAR_DUE_SHARE of its own window before its due time: look as far
    # ahead as the longest window among the open cases (policies and business hours vary).
    longest = open_cases.aggregate(window=Max(F("due_at") - F("sla_started_at")))["window"]
    horizon = now + max(longest or timedelta(0), timedelta(0)) * NEAR_DUE_SHARE
    candidates = open_cases.filter(
        Q(due_at__lte=horizon) | Q(first_response_at__isnull=True, due_first_response_at__lte=now)
    )
    return [c.pk for c in candidates if sla_thresholds_reached(c, now)]


def case_sla_notify(*, case_id: int, now: datetime | None = None) -> list[str]:
    """Email the assignee about near/overdue thresholds and, when overdue, the team's
    manager (escalation). Each threshold is notified once per SLA period."""
    now = now or timezone.now()
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("assignee", "team__manager", "customer")
            .filter(pk=case_id, status__in=OPEN_CASE_STATUSES)
            .first()
        )
        if case is None:
            return []
        thresholds = sla_thresholds_reached(case, now)
        for threshold in thresholds:
            escalate = threshold.endswith(":overdue")
            recipients = sla_recipients(case, escalate=escalate)
            send_sla_notice(case=case, threshold=threshold, recipients=recipients)
            case_event_add(
                case, "escalated" if escalate else "sla_warning",
                after={"threshold": threshold, "to": [u.get_username() for u in recipients]},
            )  # fmt: skip
        if thresholds:
            case.sla_notified = [*case.sla_notified, *thresholds]
            case.save(update_fields=["sla_notified", "updated_at"])
        return thresholds


def case_replies_stuck(*, older_than_minutes: int = 5) -> list[int]:
    """Replies still pending after a while (broker was down): the sweeper re-sends them."""
    cutoff = timezone.now() - timedelta(minutes=older_than_minutes)
    return list(
        CaseReply.objects.filter(status=CaseReplyStatus.PENDING, created_at__lte=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)[:500]
    )
