"""Staff pages of alerts: /staff/alerts/ (open alerts, rules, robots), the history, the rule
and robot forms (Admins), mute, close, re-send and robot test."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from analytics.alerts import queries
from analytics.alerts.forms import AlertRobotForm, AlertRuleForm, MuteForm, listed
from analytics.alerts.services import (
    AlertError,
    alert_close,
    deliveries_send_due,
    delivery_redrive,
    robot_test,
    rule_mute,
)
from analytics.alerts.words import masked
from analytics.models import Alert, AlertDelivery, AlertRobot, AlertRule, AlertStatus


@login_required
@permission_required("analytics.view_alert", raise_exception=True)
def alerts_index(request):
    return render(request, "analytics/alerts/index.html", {
        "open_alerts": queries.open_alerts(limit=20),
        "counts": queries.alert_counts(),
        "rules": queries.rule_rows(),
        "robots": [(robot, masked(robot.url, url=True)) for robot in AlertRobot.objects.all()],
        "today": timezone.localdate(),
    })  # fmt: skip


@login_required
@permission_required("analytics.view_alert", raise_exception=True)
def alerts_history(request):
    status = request.GET.get("status", "")
    return render(request, "analytics/alerts/history.html", {
        "rows": queries.alert_history(status=status), "status": status,
        "statuses": AlertStatus.choices,
    })  # fmt: skip


@dataclass(frozen=True)
class FormSpec:
    """What differs between the rule and the robot form: the model, its form, the new
    object's title and the page's script (the rule form shows the fields of its kind)."""

    model: type
    form: type
    title_new: str
    script: str = ""


FORMS = {
    "rule": FormSpec(AlertRule, AlertRuleForm, gettext_lazy("New alert rule"),
                     "analytics/alert_rule_form.js"),
    "robot": FormSpec(AlertRobot, AlertRobotForm, gettext_lazy("New group robot")),
}  # fmt: skip


@login_required
def object_edit(request, what: str, pk: int | None = None):
    """The rule or robot form (Admins: add or change permission of the model)."""
    spec = FORMS[what]
    instance = get_object_or_404(spec.model, pk=pk) if pk else None
    action = "change" if instance else "add"
    if not request.user.has_perm(f"analytics.{action}_{spec.model._meta.model_name}"):
        raise PermissionDenied
    form = spec.form(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        if isinstance(saved, AlertRule) and saved.created_by_id is None:
            saved.created_by = request.user
        saved.save()
        form.save_m2m()
        messages.success(request, _("Saved."))
        if form.ignored:
            messages.info(request, _("Not used by this kind of rule, so ignored: %(fields)s.")
                          % {"fields": listed(form.ignored)})  # fmt: skip
        return redirect("alerts:index")
    return render(request, "analytics/alerts/form.html", {
        "form": form, "object": instance, "title": instance.name if instance else spec.title_new,
        "script": spec.script, "kind_form": what == "rule",
    })  # fmt: skip


@require_POST
@login_required
@permission_required("analytics.change_alertrule", raise_exception=True)
def rule_mute_view(request, pk: int):
    rule = get_object_or_404(AlertRule, pk=pk)
    form = MuteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Expected a day like 2026-12-31."))
        return redirect("alerts:index")
    try:
        rule_mute(rule, until=form.cleaned_data["until"])
    except AlertError as exc:
        messages.error(request, exc.message)
    else:
        if rule.muted_until:
            messages.success(
                request, _("“%(rule)s” is muted until %(day)s.")
                % {"rule": rule.name, "day": rule.muted_until.isoformat()},
            )  # fmt: skip
        else:
            messages.success(request, _("“%(rule)s” is no longer muted.") % {"rule": rule.name})
    return redirect("alerts:index")


@require_POST
@login_required
@permission_required("analytics.change_alertrobot", raise_exception=True)
def robot_test_view(request, pk: int):
    robot = get_object_or_404(AlertRobot, pk=pk)
    try:
        robot_test(robot)
    except AlertError as exc:
        messages.error(
            request, _("The test message to “%(robot)s” failed: %(why)s")
            % {"robot": robot.name, "why": exc.message},
        )  # fmt: skip
    else:
        messages.success(request, _("“%(robot)s” took the test message.") % {"robot": robot.name})
    return redirect("alerts:index")


@require_POST
@login_required
@permission_required("analytics.change_alert", raise_exception=True)
def alert_close_view(request, pk: int):
    alert_close(get_object_or_404(Alert, pk=pk))
    messages.success(request, _("Alert closed."))
    return redirect("alerts:history")


@require_POST
@login_required
@permission_required("analytics.change_alert", raise_exception=True)
def delivery_redrive_view(request, pk: int):
    delivery_redrive(get_object_or_404(AlertDelivery, pk=pk))
    deliveries_send_due()
    messages.success(request, _("Sent again: see its status below."))
    return redirect("alerts:history")
