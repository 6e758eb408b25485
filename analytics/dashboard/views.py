"""The manager dashboard: an admin view whose charts load from the dashboard JSON endpoints.

The page carries only the filter form and, in data attributes, the endpoint URLs and the
translated labels; `analytics/static/analytics/dashboard.js` does the rest (no inline script).
"""

import datetime as dt
import json

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from analytics.api.evaluations import EVALUATION_PERMISSION
from analytics.dashboard import exports as dashboard_exports
from analytics.dashboard.charts import FILTERS, filter_label, ignored_notes
from analytics.dashboard.queries import current_period, filter_choices, has_purchases
from analytics.evaluations.periods import local_today
from analytics.metric_queries.filters import MetricFilters, latest_clv_run
from analytics.metric_queries.survey_metrics import INTERVALS

FILTER_NAMES = ("from", "to", "survey", "channel", "store", "region", "category", "segment")


def _require_manager(request) -> None:
    if not request.user.has_perm(EVALUATION_PERMISSION):
        raise PermissionDenied


def _filter_label(name: str) -> str:
    """The label the filter form shows for a query parameter (errors name it, not its code)."""
    if name in FILTERS:
        return filter_label(name)
    labels = {"value_tier": _("Value tier"), "interval": _("Interval")}
    return labels.get(name, _("Filters"))


def _labels() -> dict[str, str]:
    """Every string the script shows, translated on the server."""
    return {
        "nps": _("NPS"), "csat": _("CSAT (top-2-box %)"), "ces": _("CES (mean, 1–7)"),
        "ci": _("Confidence interval"), "n": _("n"), "small": _("small sample (n < 30)"),
        "target": _("Target"), "change": _("Change"), "noData": _("No data"),
        "met": _("Met"), "close": _("Close to target"), "missed": _("Missed"),
        "detractor": _("Detractors (0–6)"), "passive": _("Passives (7–8)"),
        "promoter": _("Promoters (9–10)"), "answers": _("Answers"),
        "positive": _("Positive"), "neutral": _("Neutral"), "negative": _("Negative"),
        "impact": _("NPS impact"), "mentions": _("Mentions"), "sentiment": _("Sentiment"),
        "topic": _("Topic"), "aspect": _("Aspect"), "partial": _("partial period"),
        "customers": _("Customers"), "revenueShare": _("Revenue share (%)"),
        "high": _("High value"), "medium": _("Medium value"), "low": _("Low value"),
        "opened": pgettext("cases", "Opened"), "resolved": _("Resolved"),
        "sla": _("SLA compliance (%)"),
        "backlog": _("Open cases"), "overdue": _("Overdue cases"),
        "openCase": _("Open case"), "noCase": _("No open case"),
        "loadError": _("Could not load this chart. Reload the page to try again."),
        "live": _("Computed live: no scorecard snapshot for this quarter yet."),
        "empty": _("No answers match these filters: widen the date range or clear a filter."),
    }  # fmt: skip


def dashboard_view(request):
    _require_manager(request)
    params = request.GET.copy()
    if "from" not in params and "to" not in params:
        # A first look shows the last twelve months; `?from=&to=` (dates cleared) is all time.
        today = local_today()
        params["from"], params["to"] = (
            (today - dt.timedelta(days=364)).isoformat(),
            today.isoformat(),
        )
    try:
        filters = MetricFilters.from_params(params)
    except ValidationError as exc:
        filters, errors = MetricFilters(), exc.detail
    else:
        errors = {}
    interval = request.GET.get("interval") if request.GET.get("interval") in INTERVALS else "month"
    run = latest_clv_run()
    config = {
        "api": {
            name: reverse(f"dashboard-{name}")
            for name in ("tiles", "nps-distribution", "sentiment-trend", "topics", "matrix",
                         "service")
        }
        | {"trend": reverse("metrics-trend"), "rfm": reverse("analytics-rfm")},
        "links": {
            "feedback": reverse("feedback:explorer"),
            "cases": reverse("cases:queue"),
            "customer": reverse("surveys:customers"),
        },
        "rfmAsOf": run.as_of.isoformat() if run else None,
        "language": get_language(),
        "labels": _labels(),
    }  # fmt: skip
    context = {
        **admin.site.each_context(request),
        "title": _("Manager dashboard"),
        "period": current_period(),
        "filters": filters,
        "interval": interval,
        "intervals": [
            ("day", _("Day")),
            ("week", _("Week")),
            ("month", _("Month")),
            ("quarter", _("Quarter")),
        ],
        "errors": [(_filter_label(name), messages) for name, messages in errors.items()],
        **filter_choices(),
        "has_purchases": has_purchases(),
        "has_clv_run": run is not None,
        "import_url": reverse("analytics:imports"),
        "rfm_as_of": run.as_of if run else None,
        "chart_notes": {chart.replace("-", "_"): note for chart, note in ignored_notes().items()},
        "config_json": json.dumps(config, ensure_ascii=False),
        "query": params.urlencode(),
    }
    return TemplateResponse(request, "analytics/dashboard/index.html", context)


def dashboard_export(request, fmt: str):
    _require_manager(request)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    filters = MetricFilters.from_params(request.GET)
    interval = request.GET.get("interval") if request.GET.get("interval") in INTERVALS else "month"
    tables = dashboard_exports.dashboard_tables(filters=filters, interval=interval)
    if fmt == "xlsx":
        body = dashboard_exports.tables_xlsx(tables)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = dashboard_exports.tables_csv(tables)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="dashboard.{fmt}"'
    return response
