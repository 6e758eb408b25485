"""Staff pages of improvement actions: the list (status in words and colour), a new action
from a missed indicator / an alert / a driver topic, and an action with its before/after."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from analytics.actions import queries
from analytics.actions.forms import ActionForm
from analytics.actions.services import ActionError, action_save, action_set_status
from analytics.evaluations.periods import local_today, period_containing
from analytics.models import (
    ActionSource,
    ActionStatus,
    Alert,
    EvaluationSnapshot,
    ImprovementAction,
)
from analytics.workspace import words
from feedback.models import Topic

ALERT_INDICATOR = {"nps_drop": "nps", "csat_drop": "csat", "detractor_share": "nps",
                   "topic_surge": "nps"}  # fmt: skip


@login_required
@permission_required("analytics.view_improvementaction", raise_exception=True)
def action_list(request):
    status = request.GET.get("status", "active")
    return render(request, "analytics/actions/list.html", {
        "rows": queries.action_rows(status=status), "status": status,
        "counts": queries.action_counts(),
        "filters": [("active", _("Not done")), ("overdue", _("Overdue")),
                    *ActionStatus.choices, ("all", _("All"))],
    })  # fmt: skip


def _initial(request) -> tuple[dict, dict]:
    """Form values and the action's source from ?indicator=&period=, ?alert= or ?topic=."""
    params, today = request.GET, local_today()
    latest = EvaluationSnapshot.objects.order_by("-period_start").values_list("period", flat=True)
    period = params.get("period") or latest.first() or period_containing(today).code
    initial = {"baseline_period": period, "indicator": params.get("indicator") or "nps",
               "owner": request.user.pk}  # fmt: skip
    source: dict = {"source": ActionSource.INDICATOR}
    alert_id, topic_id = params.get("alert", ""), params.get("topic", "")
    if alert_id.isdigit() and (alert := Alert.objects.filter(pk=alert_id).first()):
        details = alert.details
        kind = details.get("kind", "")
        initial["indicator"] = details.get("indicator") or ALERT_INDICATOR.get(kind, "nps")
        key = details.get("current_key", "")
        if "W" in key:  # a week: judged in the month it ended in
            key = period_containing(
                dt.date.fromisoformat(details["current_end"]), kind="month"
            ).code
        initial["baseline_period"] = key or period
        initial["title"] = alert.title[:200]
        source = {"source": ActionSource.ALERT, "alert": alert}
        if details.get("topic_id"):
            source["topic"] = Topic.objects.filter(pk=details["topic_id"]).first()
    elif topic_id.isdigit() and (topic := Topic.objects.filter(pk=topic_id).first()):
        initial["title"] = _("Fix what customers say about “%(topic)s”") % {"topic": topic.name}
        source = {"source": ActionSource.TOPIC, "topic": topic}
    elif params.get("indicator"):
        initial["title"] = _("Bring %(indicator)s back to target") % {
            "indicator": words.label(initial["indicator"])
        }
    return initial, source


@login_required
@permission_required("analytics.add_improvementaction", raise_exception=True)
def action_new(request):
    initial, source = _initial(request)
    if request.method == "POST":
        source_kind = request.POST.get("source_kind", "")
        alert = Alert.objects.filter(pk=request.POST.get("alert") or 0).first()
        topic = Topic.objects.filter(pk=request.POST.get("topic") or 0).first()
        instance = ImprovementAction(
            created_by=request.user, alert=alert, topic=topic,
            source=source_kind if source_kind in ActionSource.values else ActionSource.INDICATOR,
        )  # fmt: skip
        form = ActionForm(request.POST, instance=instance)
        if form.is_valid():
            try:
                action = action_save(form.instance)
            except ActionError as exc:
                for field, texts in exc.field_errors().items():
                    form.add_error(field if field in form.fields else None, texts)
            else:
                messages.success(request, _("Improvement action saved."))
                return redirect("actions:detail", action.pk)
        source = {"source": instance.source, "alert": alert, "topic": topic}
    else:
        form = ActionForm(initial=initial)
    return render(request, "analytics/actions/form.html", {"form": form, **source})


@login_required
@permission_required("analytics.view_improvementaction", raise_exception=True)
def action_detail(request, pk: int):
    action = get_object_or_404(
        ImprovementAction.objects.select_related("owner", "alert", "topic"), pk=pk
    )
    form = None
    if request.user.has_perm("analytics.change_improvementaction"):
        form = ActionForm(request.POST or None, instance=action)
        if request.method == "POST" and form.is_valid():
            try:
                action_save(form.instance)
            except ActionError as exc:
                for field, texts in exc.field_errors().items():
                    form.add_error(field if field in form.fields else None, texts)
            else:
                messages.success(request, _("Improvement action saved."))
                return redirect("actions:detail", action.pk)
    return render(request, "analytics/actions/detail.html", {
        "row": queries.action_row(action, local_today()),
        "effect": queries.action_effect(action), "form": form,
    })  # fmt: skip


@require_POST
@login_required
@permission_required("analytics.change_improvementaction", raise_exception=True)
def action_status(request, pk: int):
    action = get_object_or_404(ImprovementAction, pk=pk)
    try:
        action_set_status(action, request.POST.get("status", ""))
    except ActionError as exc:
        messages.error(request, exc.text)
    else:
        messages.success(request, _("Status changed to “%(status)s”.")
                         % {"status": action.get_status_display()})  # fmt: skip
    if request.POST.get("back") == "list":
        return redirect("actions:list")
    return redirect("actions:detail", action.pk)
