"""Read models of cases: the triage queue with its filters and counts, a case with its
customer's context, and the service metrics (also read by analytics for the scorecard)."""

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from feedback.cases.sla import resolved_in_time
from feedback.models import FeedbackItem, FeedbackTopic
from feedback.models.cases import OPEN_CASE_STATUSES, Case, CaseEvent, CaseNote
from surveys.models import Response, ResponseStatus

QUEUE_VIEWS = ("open", "mine", "unassigned", "overdue")


def overdue_q(now: datetime) -> Q:
    """Open cases past their resolution due time at `now` (feedback.cases.sla.is_overdue)."""
    return Q(status__in=OPEN_CASE_STATUSES, due_at__lte=now)


def resolved_in_time_q() -> Q:
    """Resolved cases that met their due time (feedback.cases.sla.resolved_in_time)."""
    return Q(due_at__isnull=True) | Q(resolved_at__lte=F("due_at"))


@dataclass(frozen=True)
class CaseFilters:
    view: str = "open"  # open | mine | unassigned | overdue | all (any status)
    priority: str = ""
    status: str = ""
    topic: int | None = None
    survey: int | None = None
    value_tier: str = ""


def case_queue(*, user, filters: CaseFilters, now: datetime | None = None) -> QuerySet[Case]:
    """Cases for the queue and the API list, most urgent first: SLA due time, then priority."""
    now = now or timezone.now()
    cases = Case.objects.select_related(
        "customer", "assignee", "team", "response__survey", "resolution_reason"
    )
    if filters.status:
        cases = cases.filter(status=filters.status)
    elif filters.view != "all":
        cases = cases.filter(status__in=OPEN_CASE_STATUSES)
    if filters.view == "mine":
        cases = cases.filter(assignee=user)
    elif filters.view == "unassigned":
        cases = cases.filter(assignee__isnull=True)
    elif filters.view == "overdue":
        cases = cases.filter(overdue_q(now))
    if filters.priority:
        cases = cases.filter(priority=filters.priority)
    if filters.survey:
        cases = cases.filter(response__survey_id=filters.survey)
    if filters.value_tier:
        cases = cases.filter(value_tier=filters.value_tier)
    if filters.topic:
        cases = cases.filter(
            Exists(FeedbackTopic.objects.filter(topic_id=filters.topic, item__cases=OuterRef("pk")))
        )
    return cases.order_by(F("due_at").asc(nulls_last=True), "priority", "pk")


def case_queue_counts(*, user, now: datetime | None = None) -> dict[str, int]:
    """How many open cases each quick filter shows, in one query."""
    now = now or timezone.now()
    counts = Case.objects.filter(status__in=OPEN_CASE_STATUSES).aggregate(
        open=Count("pk"),
        mine=Count("pk", filter=Q(assignee=user)),
        unassigned=Count("pk", filter=Q(assignee__isnull=True)),
        overdue=Count("pk", filter=overdue_q(now)),
        P1=Count("pk", filter=Q(priority="P1")),
        P2=Count("pk", filter=Q(priority="P2")),
        P3=Count("pk", filter=Q(priority="P3")),
    )
    return {key: value or 0 for key, value in counts.items()}


def case_value_tiers() -> list[str]:
    return list(
        Case.objects.filter(status__in=OPEN_CASE_STATUSES)
        .exclude(value_tier="")
        .order_by("value_tier")
        .values_list("value_tier", flat=True)
        .distinct()
    )


def case_for_page(pk: int) -> Case:
    """A case with what its page shows, in a fixed number of queries."""
    return (
        Case.objects.select_related(
            "customer", "assignee", "team", "resolution_reason", "response__survey"
        )
        .prefetch_related(
            Prefetch(
                "feedback_items",
                queryset=FeedbackItem.objects.prefetch_related("aspects").order_by("pk"),
            ),
            "response__answers__question",
            Prefetch("notes", queryset=_notes()),
            Prefetch("replies"),
            Prefetch("events", queryset=_events()),
        )
        .get(pk=pk)
    )


def _notes():
    return CaseNote.objects.select_related("author").order_by("created_at", "pk")


def _events():
    return CaseEvent.objects.select_related("actor").order_by("created_at", "pk")


def customer_history(case: Case, *, limit: int = 10) -> dict:
    """The customer's earlier responses and cases, for the panel beside the case."""
    if case.customer_id is None:
        return {"responses": [], "cases": []}
    responses = (
        Response.objects.filter(customer_id=case.customer_id, status=ResponseStatus.COMPLETED)
        .exclude(pk=case.response_id)
        .select_related("survey")
        .order_by("-completed_at")[:limit]
    )
    cases = (
        Case.objects.filter(customer_id=case.customer_id)
        .exclude(pk=case.pk)
        .select_related("resolution_reason")
        .order_by("-created_at")[:limit]
    )
    return {"responses": list(responses), "cases": list(cases)}


# Service metrics -------------------------------------------------------------------------


def _hours(deltas: Iterable[timedelta]) -> list[float]:
    return [d.total_seconds() / 3600 for d in deltas]


def _median_p90(values: list[float]) -> dict:
    if not values:
        return {"median": None, "p90": None, "n": 0}
    p90 = (
        values[0]
        if len(values) == 1
        else statistics.quantiles(values, n=10, method="inclusive")[-1]
    )
    return {"median": round(statistics.median(values), 2), "p90": round(p90, 2), "n": len(values)}


def _figures(opened: list[Case], resolved: list[Case]) -> dict:
    first = _hours(c.first_response_at - c.created_at for c in opened if c.first_response_at)
    resolution = _hours(c.resolved_at - c.created_at for c in resolved)
    opened_resolved = sum(1 for c in opened if c.resolved_at is not None)
    on_time = sum(1 for c in resolved if resolved_in_time(c.resolved_at, c.due_at))
    return {
        "opened": len(opened),
        "resolved": len(resolved),
        "first_response_hours": _median_p90(first),
        "resolution_hours": _median_p90(resolution),
        "resolution_rate": round(opened_resolved / len(opened), 4) if opened else None,
        "sla_compliance": round(on_time / len(resolved), 4) if resolved else None,
    }


def service_metrics(*, start: datetime, end: datetime, interval_days: int = 7) -> dict:
    """First-response and resolution time (median, p90, hours), resolution rate (resolved ÷
    opened), SLA compliance (resolved before due ÷ resolved) and the backlog at `end`, overall,
    per agent, per team and per `interval_days` period. Cases opened in [start, end) count
    as opened; cases resolved in [start, end) as resolved."""
    fields = ("pk", "created_at", "first_response_at", "resolved_at", "due_at")
    rows = list(
        Case.objects.filter(
            Q(created_at__gte=start, created_at__lt=end)
            | Q(resolved_at__gte=start, resolved_at__lt=end)
            | Q(created_at__lt=end) & (Q(resolved_at__isnull=True) | Q(resolved_at__gte=end))
        )
        .select_related("assignee", "team")
        .only(*fields, "assignee__username", "team__name")
    )
    opened = [c for c in rows if start <= c.created_at < end]
    resolved = [c for c in rows if c.resolved_at and start <= c.resolved_at < end]
    # Open at `end`: opened before it and not resolved by then (closing needs resolving).
    backlog = [c for c in rows if c.resolved_at is None or c.resolved_at >= end]
    backlog = [c for c in backlog if c.created_at < end]
    ages = _hours(end - c.created_at for c in backlog)

    def grouped(key) -> dict[str, dict]:
        groups_opened, groups_resolved = defaultdict(list), defaultdict(list)
        for c in opened:
            groups_opened[key(c)].append(c)
        for c in resolved:
            groups_resolved[key(c)].append(c)
        names = sorted(set(groups_opened) | set(groups_resolved))
        return {name: _figures(groups_opened[name], groups_resolved[name]) for name in names}

    periods = []
    period_start = start
    while period_start < end:
        period_end = min(period_start + timedelta(days=interval_days), end)
        periods.append(
            {
                "start": period_start.isoformat(),
                "end": period_end.isoformat(),
                **_figures(
                    [c for c in opened if period_start <= c.created_at < period_end],
                    [c for c in resolved if period_start <= c.resolved_at < period_end],
                ),
            }
        )
        period_start = period_end
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        **_figures(opened, resolved),
        "backlog": {
            "open": len(backlog),
            "age_hours": _median_p90(ages),
            "oldest_hours": round(max(ages), 2) if ages else None,
        },
        "per_agent": grouped(lambda c: c.assignee.username if c.assignee_id else ""),
        "per_team": grouped(lambda c: c.team.name if c.team_id else ""),
        "over_time": periods,
    }
