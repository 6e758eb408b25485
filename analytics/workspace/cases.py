"""The triage cases of a period, counted: opened, by status and priority, resolved, resolved
in time, overdue now (numbers only; the report and the workspace put them in words)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from analytics.evaluations.periods import Period, local_midnight
from feedback.cases.queries import overdue_q, resolved_in_time_q
from feedback.models.cases import Case, CaseStatus


def case_numbers(period: Period) -> dict:
    """{"opened", "resolved", "resolved_in_time", "overdue", "by_status": {code: n},
    "by_priority": {code: n}} for the cases opened in the period."""
    opened = Case.objects.filter(
        created_at__gte=local_midnight(period.start),
        created_at__lt=local_midnight(period.end_exclusive),
    )
    done = Q(status__in=(CaseStatus.RESOLVED, CaseStatus.CLOSED))
    totals = opened.aggregate(
        opened=Count("pk"),
        resolved=Count("pk", filter=done),
        resolved_in_time=Count("pk", filter=done & resolved_in_time_q()),
        overdue=Count("pk", filter=overdue_q(timezone.now())),
        answered=Count("pk", filter=Q(first_response_at__isnull=False)),
    )
    by_status = dict(
        opened.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    by_priority = dict(
        opened.order_by()
        .values_list("priority")
        .annotate(n=Count("pk"))
        .values_list("priority", "n")
    )
    return {**totals, "by_status": by_status, "by_priority": by_priority}
