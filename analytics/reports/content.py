"""What a report says, in the reader's language: the workspace's view of the period (the same
words and rounded numbers as /staff/evaluations/<period>/), monthly NPS/CSAT/CES, the period's
breakdowns by label, the topics and aspects that drive NPS, and the cases."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import translation

from analytics.evaluations.periods import Period
from analytics.evaluations.scorecard import evaluation_compute
from analytics.metric_queries.drivers import topic_drivers
from analytics.metric_queries.filters import MetricFilters
from analytics.metric_queries.survey_metrics import metric_trend
from analytics.models import EvaluationSnapshot
from analytics.reports import charts
from analytics.workspace import words
from analytics.workspace.queries import evaluation_detail
from feedback.nlp.aspects import default_aspects

TREND_MONTHS = 12
TOP_DRIVERS = 10


@dataclass(frozen=True)
class ReportData:
    period: Period
    snapshot: EvaluationSnapshot
    e: dict  # evaluation_detail: index, dimensions, indicators, trend, headline, cases, …
    months: list[dict]  # one row per month: label, NPS/CSAT/CES text and n
    breakdowns: list[dict]  # {"label", "rows": [{"label", "nps_text", "n", …}]}
    drivers: list[dict]  # {"kind_label", "name", "mentions_text", "nps_with_text", …}
    charts: dict[str, str]  # name → data URI of an SVG


def aspect_label(key: str) -> str:
    spec = default_aspects().get(key) or {}
    language = "zh" if (translation.get_language() or "zh").startswith("zh") else "en"
    return spec.get(language) or spec.get("zh") or key


BREAKDOWN_TITLES = {
    "segment": translation.gettext_lazy("RFM segment"),
    "value_tier": translation.gettext_lazy("Value tier"),
    "channel": translation.gettext_lazy("Channel"),
    "region": translation.gettext_lazy("Region"),
}


def _months(period: Period) -> list[dict]:
    first = (period.end.replace(day=1) - dt.timedelta(days=(TREND_MONTHS - 1) * 31)).replace(day=1)
    filters = MetricFilters(start=max(first, dt.date(2000, 1, 1)), end=period.end)
    trends = {
        metric: {p.period: p for p in metric_trend(metric=metric, interval="month",
                                                    filters=filters)}
        for metric in ("nps", "csat", "ces")
    }  # fmt: skip
    months = sorted(set().union(*trends.values()))
    rows = []
    for month in months:
        nps, csat, ces = (trends[m].get(month) for m in ("nps", "csat", "ces"))
        year, number = month.split("-")
        rows.append({
            "label": words.period_label(f"{year}-{number}"),
            "nps": None if nps is None else nps.value,
            "nps_text": words.value_text("nps", None if nps is None else nps.value),
            "nps_n": 0 if nps is None else nps.n,
            "csat_text": words.value_text("csat", None if csat is None else csat.value),
            "csat_n": 0 if csat is None else csat.n,
            "ces_text": words.value_text("ces", None if ces is None else ces.value),
            "ces_n": 0 if ces is None else ces.n,
        })  # fmt: skip
    return rows


def _breakdowns(snapshot: EvaluationSnapshot) -> list[dict]:
    result, stores = [], words.store_labels()
    for by, groups in (snapshot.segments or {}).items():
        if by not in BREAKDOWN_TITLES:
            continue
        if by == "value_tier":
            order = {"high": 0, "medium": 1, "low": 2}
            groups = sorted(groups, key=lambda g: order.get(g["key"], len(order)))
        rows = [
            {
                "label": words.breakdown_label(by, g["key"], stores),
                "nps_text": words.value_text("nps", g["nps"]["value"]),
                "nps_n": g["nps"]["n"],
                "csat_text": words.value_text("csat", g["csat"]["value"]),
                "csat_n": g["csat"]["n"],
                "ces_text": words.value_text("ces", g["ces"]["mean"]),
                "ces_n": g["ces"]["n"],
            }
            for g in groups
        ]
        result.append({"by": by, "label": str(BREAKDOWN_TITLES[by]), "rows": rows})
    return result


def _drivers(period: Period) -> list[dict]:
    kinds = {"topic": translation.gettext("Topic"), "aspect": translation.gettext("Aspect")}
    rows = []
    for d in topic_drivers(filters=MetricFilters(start=period.start, end=period.end))[:TOP_DRIVERS]:
        rows.append({
            "kind": d.kind, "kind_label": kinds.get(d.kind, d.kind),
            "name": aspect_label(d.key) if d.kind == "aspect" else d.name,
            "mentions": d.mentions,
            "mentions_text": f"{words.number(d.mentions, 0)} ({words.number(d.mention_share)}%)",
            "mention_share": round(d.mention_share, 1),
            "nps_with_text": words.value_text("nps", d.nps_with),
            "nps_without_text": words.value_text("nps", d.nps_without),
            "impact": None if d.impact is None else round(d.impact, 2),
            "impact_text": words.change_text("nps", d.impact),
        })  # fmt: skip
    return rows


def _charts(e: dict, months: list[dict]) -> dict[str, str]:
    trend = e["trend"]
    index_series = [(translation.gettext("Overall index"), trend["index"])] + [
        (d["label"], d["values"]) for d in trend["dimensions"]
    ]
    bars = [
        (d["label"], d["index"], 100.0, d["status"]) for d in e["dimensions"]
    ]  # fmt: skip
    nps = [(translation.gettext("NPS"), [m["nps"] for m in months])]
    return {
        "trend": charts.data_uri(charts.line_chart(trend["labels"], index_series,
                                                   dashed_last=e["provisional"])),
        "dimensions": charts.data_uri(charts.bar_chart(bars)),
        "nps": charts.data_uri(charts.line_chart([m["label"] for m in months], nps,
                                                 height=200)),
    }  # fmt: skip


def report_data(*, period: Period) -> ReportData:
    """The report of a period in the active language: the latest snapshot (computed now if
    there is none) as the workspace shows it, and the report's own sections."""
    snapshot = (
        EvaluationSnapshot.objects.filter(period=period.code)
        .select_related("clv_run")
        .order_by("-version")
        .first()
    ) or evaluation_compute(period=period)
    e = evaluation_detail(snapshot, wait=True)  # the worker computes what is missing
    months = _months(period)
    return ReportData(
        period=period, snapshot=snapshot, e=e, months=months,
        breakdowns=_breakdowns(snapshot), drivers=_drivers(period), charts=_charts(e, months),
    )  # fmt: skip
