"""The printable report: one HTML page (print stylesheet, charts as SVG images, no scripts)
and the PDF WeasyPrint makes of it, with the Noto CJK fonts embedded (subset)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.reports.content import ReportData


def _trend_rows(trend: dict) -> list[dict]:
    return [
        {"label": label, "index": trend["index"][i],
         "dimensions": [d["values"][i] for d in trend["dimensions"]]}
        for i, label in enumerate(trend["labels"])
    ]  # fmt: skip


def report_html(data: ReportData) -> str:
    e = data.e
    return render_to_string(
        "analytics/reports/report.html",
        {
            "e": e, "months": data.months, "breakdowns": data.breakdowns,
            "drivers": data.drivers, "charts": data.charts,
            "trend_rows": _trend_rows(e["trend"]),
            "missed": [i for i in e["indicators"] if i["status"] == "missed"],
            "generated_at": timezone.localtime(),
            "footer": _("SurveyHub · relationship evaluation %(period)s")
            % {"period": e["period_label"]},
        },
    )  # fmt: skip


def report_pdf(data: ReportData) -> bytes:
    """The PDF of the printable page (WeasyPrint: Pango lays out the text with the system's
    fonts — fonts-noto-cjk — and embeds the subset it used)."""
    from weasyprint import HTML  # imported here: it loads Pango, which only reports need

    return HTML(string=report_html(data), base_url=None).write_pdf()
