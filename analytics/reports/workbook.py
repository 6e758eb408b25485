"""The Excel report: the same words and rounded numbers as the printable report, one sheet per
section (Summary, Indicators, Trend, Months, Breakdowns, Topics, Cases). Every text cell goes
through `safe_cell`, so a topic named "=HYPERLINK(…)" is text, never a formula."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

from analytics.reports.content import ReportData
from surveyhub.spreadsheets.formula_guard import safe_cell

BOLD = Font(bold=True)


class Ours(str):
    """Text the report itself writes (a change like "+6.7 分"): no apostrophe before "+"."""


def _sheet(book: Workbook, title: str, rows: list[list[Any]], *, header: bool = True):
    sheet = book.create_sheet(title[:31])
    for row in rows:
        sheet.append([value if isinstance(value, Ours) else safe_cell(value) for value in row])
    if header and rows:
        for cell in sheet[1]:
            cell.font = BOLD
    for column in sheet.columns:
        width = max((len(str(c.value)) if c.value is not None else 0) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(10, width * 1.6), 60)
    return sheet


def report_workbook(data: ReportData) -> bytes:
    e = data.e
    book = Workbook()
    book.remove(book.active)
    previous = pgettext("period", "Previous")
    summary = [
        [_("Period"), e["period_label"]],
        [_("Dates"), f"{e['start']} – {e['end']}"],
        [_("Version"), e["version"]],
        [_("Overall index"), e["index"]["value"], e["index"]["status_label"]],
        [_("Change from the previous period"), Ours(e["index"]["change_text"])],
    ]
    if e["provisional"]:
        summary.append([_("Provisional"), e["note"]])
    summary += [[], [_("Dimension"), _("Index"), _("Target"), _("Weight"),
                     _("Change from the previous period"), _("Status")]]  # fmt: skip
    for d in e["dimensions"]:
        summary.append([d["label"], d["index"], 100, d["weight_text"], Ours(d["change_text"]),
                        d["status_label"]])  # fmt: skip
    sheet = _sheet(book, _("Summary"), summary, header=False)
    sheet["A1"].font = sheet["A4"].font = BOLD
    for cell in sheet[8 if e["provisional"] else 7]:
        cell.font = BOLD

    rows = [[_("Dimension"), _("Indicator"), pgettext("number", "Value"), _("Target"),
             previous, _("Change"), _("Significance"), _("Sample"), _("Status"),
             _("Definition")]]  # fmt: skip
    for i in e["indicators"]:
        rows.append([i["dimension_label"], i["label"], i["value_text"], i["target_text"],
                     i["previous_text"], Ours(i["change_text"]),
                     i["significance"]["text"] if i["significance"] else "—", i["n_text"],
                     i["status_label"], i["definition"]])  # fmt: skip
    _sheet(book, _("Indicators"), rows)

    trend = e["trend"]
    rows = [[_("Period"), _("Overall index"), *[d["label"] for d in trend["dimensions"]]]]
    for k, label in enumerate(trend["labels"]):
        rows.append([label, trend["index"][k], *[d["values"][k] for d in trend["dimensions"]]])
    _sheet(book, _("Trend"), rows)

    rows = [[_("Month"), _("NPS"), _("NPS n"), _("CSAT"), _("CSAT n"), _("CES"), _("CES n")]]
    for m in data.months:
        rows.append([m["label"], m["nps_text"], m["nps_n"], m["csat_text"], m["csat_n"],
                     m["ces_text"], m["ces_n"]])  # fmt: skip
    _sheet(book, _("Months"), rows)

    h = e["headline"]
    rows = [[_("Group"), _("Customers"), _("Retention (ordered again)"), _("Repurchase rate")]]
    for g in h["groups"]:
        rows.append([g["label"], g["customers"], g["retention_text"], g["repurchase_text"]])
    v = h["value_at_risk"]
    rows += [[], [_("Detractors this period"), v["detractors"]],
             [_("Their revenue this period"), v["detractor_revenue_text"]],
             [_("Value at risk: detractors' CLV"), v["detractor_clv_text"]],
             [_("Customers with an open case"), v["open_case_customers"], _("Their CLV"),
              v["open_case_clv_text"]]]  # fmt: skip
    _sheet(book, _("Promoters and detractors"), rows)

    rows = [[_("Breakdown"), _("Group"), _("NPS"), _("NPS n"), _("CSAT"), _("CSAT n"),
             _("CES"), _("CES n")]]  # fmt: skip
    for b in data.breakdowns:
        for g in b["rows"]:
            rows.append([b["label"], g["label"], g["nps_text"], g["nps_n"], g["csat_text"],
                         g["csat_n"], g["ces_text"], g["ces_n"]])  # fmt: skip
    _sheet(book, _("Breakdowns"), rows)

    rows = [[_("Kind"), _("Topic or aspect"), _("Mentions"), _("NPS with"), _("NPS without"),
             _("Impact on NPS")]]  # fmt: skip
    for d in data.drivers:
        rows.append([d["kind_label"], d["name"], d["mentions_text"], d["nps_with_text"],
                     d["nps_without_text"], Ours(d["impact_text"])])  # fmt: skip
    _sheet(book, _("Topics"), rows)

    c = e["cases"]
    rows = [
        [_("Cases opened"), c["opened"]],
        [_("Resolved"), c["resolved"], c["resolved_rate_text"]],
        [_("Resolved in time"), c["resolved_in_time"], c["in_time_rate_text"]],
        [_("Overdue now"), c["overdue"]],
        [],
        [_("Status"), _("Cases")],
        *[[r["label"], r["n"]] for r in c["by_status"]],
        [],
        [_("Priority"), _("Cases")],
        *[[r["label"], r["n"]] for r in c["by_priority"]],
    ]
    _sheet(book, _("Cases"), rows)

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
