"""The evaluation workspace pages: /staff/evaluations/ (the latest evaluated period) and
/staff/evaluations/<period>/. Managers and Admins (who may view evaluation snapshots)."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from analytics.workspace import queries
from analytics.workspace.queries import WorkspaceError

PERMISSION = "analytics.view_evaluationsnapshot"


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


def _page(request, code: str):
    try:
        period = queries.period_or_error(code)
        snapshot = queries.snapshot_or_error(period)
    except WorkspaceError as exc:
        return render(
            request,
            "analytics/workspace/empty.html",
            {"title": _("Period not available"), "message": exc.message,
             "periods": queries.evaluated_periods()},
            status=exc.status_code,
        )  # fmt: skip
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
    })  # fmt: skip


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
