"""The staff start page per role: an agent's open and overdue cases, a designer's surveys
with their response counts, a manager's summary of the period. It reads every app, so it
lives in the top one; the URL is the wiring's `staff-home`."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone

from analytics.actions.blocks import scorecard_block, tasks_block
from analytics.dashboard.queries import current_period
from analytics.models import EvaluationSnapshot
from analytics.workspace.words import period_label
from feedback.cases.queries import CaseFilters, case_queue, case_queue_counts
from surveys.models import Survey
from surveys.models.responses import ResponseStatus

HOME_ROWS = 8


@login_required
def staff_home(request):
    """Each role's start: an agent's open and overdue cases, a designer's surveys with their
    response counts, a manager's summary of the period. A user with several roles sees each."""
    user, now = request.user, timezone.now()
    context: dict = {"now": now}
    if user.has_perm("feedback.change_case"):
        context["counts"] = case_queue_counts(user=user, now=now)
        mine = CaseFilters(view="mine")
        context["my_cases"] = list(case_queue(user=user, filters=mine, now=now)[:HOME_ROWS])
        overdue = CaseFilters(view="overdue")
        context["overdue_cases"] = list(case_queue(user=user, filters=overdue, now=now)[:HOME_ROWS])
    if user.has_perm("surveys.change_survey"):
        surveys = Survey.objects.annotate(
            completed=Count("responses", filter=Q(responses__status=ResponseStatus.COMPLETED))
        ).order_by("-created_at")
        own = surveys.filter(created_by=user)
        context["own_surveys"] = own.exists()
        context["surveys"] = list((own if context["own_surveys"] else surveys)[:HOME_ROWS])
    if user.has_perm("analytics.view_evaluationsnapshot"):
        period = current_period()
        snapshot = (
            EvaluationSnapshot.objects.filter(period=period.code).order_by("-version").first()
        )
        context["period"] = period
        context["period_label"] = period_label(period.code)
        context["index"] = snapshot.overall_index if snapshot else None
        context.setdefault("counts", case_queue_counts(user=user, now=now))
        # The manager's tasks: the dimensions, open alerts, actions due (analytics.actions).
        context["scorecard"] = scorecard_block()
        context["tasks"] = tasks_block()
        if "overdue_cases" not in context:
            overdue = CaseFilters(view="overdue")
            context["overdue_cases"] = list(
                case_queue(user=user, filters=overdue, now=now)[:HOME_ROWS]
            )
    return render(request, "staff/home.html", context)
