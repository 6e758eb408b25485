"""Staff pages of alerts: /staff/alerts/ (open alerts, rules, robots), the history, the rule
and robot forms (Admins), mute, close, re-send and robot test."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from analytics.alerts import queries
from analytics.alerts.forms import AlertRobotForm, AlertRuleForm, MuteForm
from analytics.alerts.services import (
    AlertError,
    alert_close,
    deliveries_send_due,
    delivery_redrive,
    robot_test,
    rule_mute,
)
from analytics.models import Alert, AlertDelivery, AlertRobot, AlertRule, AlertStatus


@login_required
@permission_required("analytics.view_alert", raise_exception=True)
def alerts_index(request):
    return render(request, "analytics/alerts/index.html", {
        "open_alerts": queries.open_alerts(limit=20),
        "counts": queries.alert_counts(),
        "rules": queries.rule_rows(),
        "robots": AlertRobot.objects.all(),
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


def _form_page(request, form_class, instance, template, permission):
    if not request.user.has_perm(permission):
        raise PermissionDenied
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        if isinstance(saved, AlertRule) and saved.created_by_id is None:
            saved.created_by = request.user
        saved.save()
        form.save_m2m()
        messages.success(request, _("Saved."))
        return redirect("alerts:index")
    return render(request, template, {"form": form, "object": instance})


@login_required
def rule_edit(request, pk: int | None = None):
    rule = get_object_or_404(AlertRule, pk=pk) if pk else None
    permission = "analytics.change_alertrule" if rule else "analytics.add_alertrule"
    return _form_page(request, AlertRuleForm, rule, "analytics/alerts/rule_form.html", permission)


@login_required
def robot_edit(request, pk: int | None = None):
    robot = get_object_or_404(AlertRobot, pk=pk) if pk else None
    permission = "analytics.change_alertrobot" if robot else "analytics.add_alertrobot"
    return _form_page(
        request, AlertRobotForm, robot, "analytics/alerts/robot_form.html", permission
    )


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
