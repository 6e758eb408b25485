"""The dashboard's current view as tables, written as CSV or Excel (spreadsheet-safe cells)."""

import csv
import io
import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from analytics.dashboard import queries
from analytics.metric_queries.filters import MetricFilters, latest_clv_run
from analytics.metric_queries.purchase_metrics import rfm_report
from analytics.metric_queries.survey_metrics import metric_trend
from analytics.models import ValueTier
from analytics.workspace.words import STATUSES
from surveyhub.spreadsheets.formula_guard import safe_cell

Table = tuple[str, list[str], list[list[Any]]]


def dashboard_tables(*, filters: MetricFilters, interval: str) -> list[Table]:
    """Title, header and rows of every chart's data under the filters."""
    tables: list[Table] = []
    tiles = queries.dashboard_tiles()
    status = {code: str(label) for code, label in STATUSES.items()}
    tables.append(
        (
            _("Scorecard %(period)s") % {"period": tiles["period"]},
            [_("Indicator"), pgettext("number", "Value"), _("Target"), _("Change"), _("Status")],
            [
                [
                    t["label"],
                    t["value_text"],
                    t["target_text"],
                    t["change_text"],
                    status.get(t["status"], ""),
                ]  # rounded, with unit and currency: each row has its own unit
                for t in tiles["tiles"]
            ],
        )
    )
    for metric in ("nps", "csat", "ces"):
        points = metric_trend(metric=metric, interval=interval, filters=filters)
        tables.append(
            (
                _("%(metric)s trend") % {"metric": metric.upper()},
                [
                    _("Period"),
                    pgettext("number", "Value"),
                    "n",
                    _("Interval low"),
                    _("Interval high"),
                ],
                [[p.period, p.value, p.n, p.ci_low, p.ci_high] for p in points],
            )
        )
    dist = queries.nps_distribution(filters)
    tables.append(
        (
            _("NPS distribution"),
            [_("Score"), _("Group"), _("Answers")],
            [[s["score"], _group_label(s["group"]), s["count"]] for s in dist["scores"]],
        )
    )
    tables.append(
        (
            _("Sentiment over time"),
            [_("Period start"), _("Positive"), _("Neutral"), _("Negative")],
            [
                [p["start"], p["positive"], p["neutral"], p["negative"]]
                for p in queries.sentiment_trend(filters=filters, interval=interval)
            ],
        )
    )
    tables.append(
        (
            _("Topics and aspects"),
            [_("Kind"), _("Name"), _("Mentions"), _("NPS impact"), _("Sentiment")],
            [
                [_kind_label(t["kind"]), t["name"], t["mentions"], t["impact"], t["sentiment"]]
                for t in queries.dashboard_topics(filters=filters)
            ],
        )
    )
    run = latest_clv_run()
    segments = rfm_report(as_of=run.as_of, filters=filters) if run else []
    tables.append(
        (
            _("RFM segments"),
            [_("Segment"), _("Customers"), _("Revenue share (%)"), _("NPS"), "n"],
            [
                [
                    s["name"],
                    s["customers"],
                    round(s["revenue_share"], 2),
                    s["nps"].value,
                    s["nps"].n,
                ]
                for s in segments
            ],
        )
    )
    matrix = queries.satisfaction_value_matrix(filters=filters)
    tables.append(
        (
            _("Satisfaction × value"),
            [_("Value tier"), _("NPS group"), _("Customers")],
            [
                [_tier_label(c["tier"]), _group_label(c["group"]), c["customers"]]
                for c in matrix["cells"]
            ],
        )
    )
    service = queries.service_summary(filters=filters, interval=interval)
    tables.append(
        (
            _("Service"),
            [
                _("Period start"),
                pgettext("cases", "Opened"),
                _("Resolved"),
                _("SLA compliance (%)"),
            ],
            [
                [p["start"], p["opened"], p["resolved"], p["sla_compliance"]]
                for p in service["over_time"]
            ],
        )
    )
    return tables


def _group_label(code: str) -> str:
    labels = {"promoter": _("Promoter"), "passive": _("Passive"), "detractor": _("Detractor")}
    return labels.get(code, code)


def _kind_label(code: str) -> str:
    return {"topic": _("Topic"), "aspect": _("Aspect")}.get(code, code)


def _tier_label(code: str) -> str:
    return str(ValueTier(code).label) if code in ValueTier.values else code


def sheet_title(title: str, taken: set[str]) -> str:
    """An Excel sheet name from a table's title: at most 31 characters, none of []:*?/\\,
    unique in the book."""
    base = re.sub(r"[\[\]:*?/\\]", " ", str(title)).strip()[:31] or "-"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def tables_csv(tables: list[Table]) -> bytes:
    """One CSV, a titled block per table; UTF-8 with a BOM so Excel opens Chinese correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    for title, header, rows in tables:
        writer.writerow([safe_cell(str(title))])
        writer.writerow([safe_cell(str(h)) for h in header])
        writer.writerows([[safe_cell(v) for v in row] for row in rows])
        writer.writerow([])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def tables_xlsx(tables: list[Table]) -> bytes:
    """One worksheet per table."""
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for title, header, rows in tables:
        sheet = book.create_sheet(title=sheet_title(title, taken))
        sheet.append([safe_cell(str(title))])
        sheet.append([safe_cell(str(h)) for h in header])
        for row in rows:
            sheet.append([safe_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
