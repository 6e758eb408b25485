"""The evaluation workspace pages: /staff/evaluations/ (the latest evaluated period),
/staff/evaluations/<period>/, an indicator's drill-down, and the reports made from it.
Managers and Admins (who may view evaluation snapshots; requesting a report needs
`analytics.add_report`)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from analytics.actions.blocks import tasks_block
from analytics.evaluations.periods import PeriodError, period_parse
from analytics.models import Report, ReportFormat, ReportStatus
from analytics.reports.services import ReportError, report_downloaded, report_request
from analytics.workspace import queries, words
from analytics.workspace.drilldown import indicator_drilldown
from analytics.workspace.queries import WorkspaceError

PERMISSION = "analytics.view_evaluationsnapshot"
RECENT_REPORTS = 6


@login_required
@permission_required(PERMISSION, raise_exception=True)
def workspace_latest(request):
    period = queries.default_period()
    if period is None:
        return render(request, "analytics/workspace/empty.html", {
            "title": _("Evaluation workspace"),
            "message": _("No period has been evaluated yet: the scorecard is computed every "
                         "night once there are answers or purchases."),
        })  # fmt: skip
    return _page(request, period.code)


@login_required
@permission_required(PERMISSION, raise_exception=True)
def workspace_period(request, period: str):
    return _page(request, period)


def _unavailable(request, exc: WorkspaceError):
    return render(
        request,
        "analytics/workspace/empty.html",
        {"title": _("Period not available"), "message": exc.message,
         "periods": queries.evaluated_periods()},
        status=exc.status_code,
    )  # fmt: skip


def _page(request, code: str):
    try:
        period = queries.period_or_error(code)
        snapshot = queries.snapshot_or_error(period)
    except WorkspaceError as exc:
        return _unavailable(request, exc)
    data = queries.evaluation_detail(snapshot)
    chart = {
        "language": get_language(),
        "labels": data["trend"]["labels"],
        "series": [
            {"label": _("Overall index"), "values": data["trend"]["index"]},
            *[{"label": d["label"], "values": d["values"]} for d in data["trend"]["dimensions"]],
        ],
    }
    return render(request, "analytics/workspace/period.html", {
        "e": data,
        "periods": queries.evaluated_periods(),
        "chart_json": json.dumps(chart, ensure_ascii=False),
        "trend_rows": _trend_rows(data["trend"]),
        "reports": _reports(period.code),
        "can_report": request.user.has_perm("analytics.add_report"),
        "tasks": tasks_block(),  # alerts and improvement actions (analytics.actions)
        "figures": data["figures"],
        "referrals": data["referrals"],  # loyalty, value: with the kept figures
    })  # fmt: skip


def _reports(code: str) -> list[dict]:
    rows = []
    for report in Report.objects.filter(period=code).order_by("-created_at", "-id")[
        :RECENT_REPORTS
    ]:
        ready = report.status == ReportStatus.SUCCEEDED and bool(report.file)
        rows.append({
            "report": report, "format_label": report.get_format_display(),
            "status_label": report.get_status_display(), "ready": ready,
            "url": reverse("workspace:report-download", args=[report.pk]) if ready else "",
            "downloads": report.downloads.count(),
        })  # fmt: skip
    return rows


def _trend_rows(trend: dict) -> list[dict]:
    """The trend as a table (readable without JavaScript): one row per period."""
    rows = []
    for i, label in enumerate(trend["labels"]):
        rows.append({
            "label": label,
            "index": trend["index"][i],
            "dimensions": [d["values"][i] for d in trend["dimensions"]],
        })  # fmt: skip
    return rows


@login_required
@permission_required(PERMISSION, raise_exception=True)
def workspace_indicator(request, period: str, code: str):
    """One indicator's drill-down: breakdowns, and the answers and customers behind it."""
    try:
        parsed = queries.period_or_error(period)
        snapshot = queries.snapshot_or_error(parsed)
    except WorkspaceError as exc:
        return _unavailable(request, exc)
    if code not in words.INDICATORS:
        raise Http404
    detail = queries.evaluation_detail(snapshot)
    indicator = next(i for i in detail["indicators"] if i["code"] == code)
    drill = indicator_drilldown(parsed, snapshot, code)
    return render(request, "analytics/workspace/indicator.html", {
        "e": detail, "i": indicator, "drill": drill,
        "figures": queries.figures_words(drill["state"]),
    })  # fmt: skip


@login_required
@permission_required("analytics.add_report", raise_exception=True)
@require_POST
def report_create(request, period: str):
    """The workspace's report button: a PDF or Excel report of the period, built by a worker
    (optionally mailed to every Manager); back on the workspace with its status."""
    format = request.POST.get("format", ReportFormat.PDF)
    try:
        report_request(
            period=period, format=format, by=request.user, language=get_language(),
            email_managers=request.POST.get("email_managers") == "1",
        )  # fmt: skip
    except ReportError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The report is being made; it appears below when ready."))
    target = reverse("workspace:period", args=[period]) if _is_period(period) else reverse(
        "workspace:latest")  # fmt: skip
    return redirect(target + "#ws-reports")


def _is_period(code: str) -> bool:
    try:
        period_parse(code)
    except PeriodError:  # a malformed code goes back to the latest period
        return False
    return True


@login_required
@permission_required(PERMISSION, raise_exception=True)
def report_download(request, pk: int):
    """A finished report's file; every download is logged."""
    report = get_object_or_404(Report, pk=pk)
    if report.status != ReportStatus.SUCCEEDED or not report.file:
        raise Http404
    report_downloaded(report, user=request.user, via="page")
    return FileResponse(
        report.file.open("rb"), as_attachment=True, filename=report.file.name.rsplit("/")[-1]
    )
