"""An indicator's drill-down: its value per segment, value tier, region, channel, store and
category for the period, and links to the responses (the survey results page) and the
customers (the directory) behind each group, with those pages' own query parameters."""

from __future__ import annotations

import statistics
from urllib.parse import urlencode

from django.db.models import Avg, Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analytics.evaluations.periods import Period, local_midnight
from analytics.metric_queries.filters import MetricFilters, completed_responses
from analytics.metric_queries.survey_metrics import metric_breakdown
from analytics.models import CustomerValue, EvaluationSnapshot, Purchase
from analytics.workspace import words
from analytics.workspace.figures import part_state
from feedback.models.cases import Case, CaseStatus
from surveyhub.formatting import format_count
from surveys.models import Customer, Survey

BY = {
    "segment": gettext_lazy("RFM segment"),
    "value_tier": gettext_lazy("Value tier"),
    "region": gettext_lazy("Region"),
    "channel": gettext_lazy("Channel"),
    "store": gettext_lazy("Store"),
    "category": gettext_lazy("Product category"),
}
SURVEY = ("nps", "csat", "ces", "promoter_share")
PURCHASE = ("repurchase_rate", "retention_rate", "cross_sell_rate")
VALUE = ("clv", "clv_change")
CASES = ("first_response_time", "resolution_rate")
# breakdown → the customer directory's parameter (surveys/customers, analytics.relationship)
DIRECTORY = {"segment": "rfm_segment", "value_tier": "value_tier", "region": "region"}
# breakdown → the results page's parameter (surveys/results/filters.py)
RESULTS = {"segment": "segment", "value_tier": "value_tier", "region": "region",
           "channel": "channel", "store": "store"}  # fmt: skip
TOP_SURVEYS = 5
TIER_ORDER = {"high": 0, "medium": 1, "low": 2}


def _url(name: str, params: dict, *args) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in ("", None)})
    return reverse(name, args=args) + (f"?{query}" if query else "")


def survey_counts(period: Period, code: str) -> list[list[int]]:
    """[[survey id, answers], …]: the surveys with answers to the indicator in the period."""
    field = {"nps": "nps_score", "promoter_share": "nps_score", "csat": "csat_score",
             "ces": "ces_score"}.get(code)  # fmt: skip
    if field is None:
        return []
    rows = (
        completed_responses(MetricFilters(start=period.start, end=period.end))
        .filter(**{f"{field}__isnull": False})
        .values("survey_id")
        .annotate(n=Count("pk"))
        .order_by("-n")[:TOP_SURVEYS]
    )
    return [[r["survey_id"], r["n"]] for r in rows]


def responses_behind(period: Period, code: str, counts: list[list[int]]) -> list[dict]:
    """The surveys with answers to the indicator, most answers first, each linked to its
    results page filtered to the period (and to detractors or promoters for NPS)."""
    titles = dict(Survey.objects.filter(pk__in=[s for s, _n in counts]).values_list(
        "pk", "title"))  # fmt: skip
    base = {"from": period.start.isoformat(), "to": period.end.isoformat()}
    result = []
    for survey, n in counts:
        links = [{"label": _("All answers"), "url": _url("surveys:results", base, survey)}]
        if code in ("nps", "promoter_share"):
            for group, label in (("detractor", _("Detractors")), ("promoter", _("Promoters"))):
                params = {**base, "nps_group": group}
                links.append({"label": label, "url": _url("surveys:results", params, survey)})
        result.append({"survey": survey, "title": titles.get(survey, ""), "n": n,
                       "n_text": format_count(n, "responses"), "links": links})  # fmt: skip
    return result


def _survey_rows(period: Period, code: str, by: str, snapshot, cache: dict) -> list[dict]:
    metric = "nps" if code == "promoter_share" else code
    key = ("survey", by)
    if key not in cache:  # one grouped query per breakdown serves NPS, CSAT, CES and promoters
        cache[key] = metric_breakdown(
            by=by, filters=MetricFilters(start=period.start, end=period.end),
            clv_run=snapshot.clv_run, metrics=cache.get("metrics", [metric]),
        )  # fmt: skip
    groups = cache[key]
    rows = []
    for key, s in groups.items():
        value, n = {
            "nps": (s.nps.value, s.nps.n),
            "promoter_share": ((100.0 * s.nps.promoters / s.nps.n) if s.nps.n else None, s.nps.n),
            "csat": (s.csat.top2_share, s.csat.n),
            "ces": (s.ces.mean, s.ces.n),
        }[code]
        if n:
            rows.append((key, value, n))
    return rows


def _customer_groups(by: str, snapshot) -> dict[int, str]:
    """customer id → its RFM segment or value tier in the snapshot's CLV run, or its region."""
    if by in ("segment", "value_tier"):
        if snapshot.clv_run_id is None:
            return {}
        field = "rfm_segment" if by == "segment" else "value_tier"
        return dict(CustomerValue.objects.filter(run_id=snapshot.clv_run_id)
                    .values_list("customer_id", field).iterator(chunk_size=20_000))  # fmt: skip
    return dict(Customer.objects.exclude(region="").values_list("pk", "region")
                .iterator(chunk_size=20_000))  # fmt: skip


def _buyers(period: Period, *, by: str | None) -> list[tuple]:
    """One row per customer (and category or store): orders and categories in the period,
    and whether they ordered in the previous period (at that store, for a store) — counted
    by the database, refunds left out, as analytics.metrics.loyalty counts them."""
    start = local_midnight(period.start)
    inside = Q(ordered_at__gte=start)
    keys = ("customer_id", by) if by else ("customer_id",)
    return list(
        Purchase.objects.filter(
            ordered_at__gte=local_midnight(period.previous().start),
            ordered_at__lt=local_midnight(period.end_exclusive),
            amount__gte=0,
        )
        .values(*keys)
        .annotate(
            orders=Count("order_id", filter=inside, distinct=True),
            categories=Count("category", filter=inside, distinct=True),
            before=Count("pk", filter=~inside),
        )
        .order_by()
        .values_list(*keys, "orders", "categories", "before")
        .iterator(chunk_size=20_000)
    )


# breakdown → the purchase field it groups by (a store by its code, as responses keep it)
PURCHASE_KEYS = {"category": "category", "store": "store__code"}


def _purchase_rows(period: Period, code: str, by: str, snapshot, cache: dict) -> list | None:
    if by == "channel" or (code == "cross_sell_rate" and by == "category"):
        return None  # survey channels are not order channels; one category has no cross-sell
    if by in PURCHASE_KEYS:
        if by not in cache:
            cache[by] = _buyers(period, by=PURCHASE_KEYS[by])
        keyed = ((key or "", orders, cats, before)
                 for _c, key, orders, cats, before in cache[by])  # fmt: skip
    else:
        if "customer" not in cache:
            cache["customer"] = _buyers(period, by=None)
        if ("groups", by) not in cache:
            cache["groups", by] = _customer_groups(by, snapshot)
        rows, groups = cache["customer"], cache["groups", by]
        keyed = ((groups.get(c, ""), orders, cats, before) for c, orders, cats, before in rows)
    counts: dict[str, list[int]] = {}
    for key, orders, cats, before in keyed:
        row = counts.setdefault(key, [0, 0, 0, 0, 0])  # active, ≥2 orders, ≥2 cats, base, kept
        row[0] += orders > 0
        row[1] += orders >= 2
        row[2] += cats >= 2
        row[3] += before > 0
        row[4] += before > 0 and orders > 0
    result = []
    for key in sorted(counts):
        active, repeat, multi, base, kept = counts[key]
        if code == "retention_rate":
            value, n = (100.0 * kept / base if base else None), base
        else:
            value = (100.0 * (repeat if code == "repurchase_rate" else multi) / active
                     if active else None)  # fmt: skip
            n = active
        if n:
            result.append((key, value, n))
    return result


def _value_rows(code: str, by: str, snapshot) -> list[dict] | None:
    if code != "clv" or by in ("channel", "store", "category") or snapshot.clv_run_id is None:
        return None
    field = {"segment": "rfm_segment", "value_tier": "value_tier",
             "region": "customer__region"}[by]  # fmt: skip
    rows = (
        CustomerValue.objects.filter(run_id=snapshot.clv_run_id)
        .values(field)
        .annotate(v=Avg("clv"), n=Count("pk"))
        .order_by(field)
    )
    return [(r[field] or "", float(r["v"]) if r["v"] is not None else None, r["n"]) for r in rows]


def _case_rows(period: Period, code: str, by: str) -> list[dict] | None:
    field = {"value_tier": "value_tier", "region": "customer__region",
             "channel": "response__channel", "store": "response__store"}.get(by)  # fmt: skip
    if field is None:
        return None
    cases = Case.objects.filter(
        created_at__gte=local_midnight(period.start),
        created_at__lt=local_midnight(period.end_exclusive),
    ).values_list(field, "status", "created_at", "first_response_at")
    grouped: dict[str, list] = {}
    for key, status, created, first in cases:
        grouped.setdefault(key or "", []).append((status, created, first))
    rows = []
    for key, items in sorted(grouped.items()):
        if code == "resolution_rate":
            done = sum(s in (CaseStatus.RESOLVED, CaseStatus.CLOSED) for s, _c, _f in items)
            rows.append((key, 100.0 * done / len(items), len(items)))
        else:
            hours = [(f - c).total_seconds() / 3600 for _s, c, f in items if f is not None]
            if hours:
                rows.append((key, statistics.median(hours), len(hours)))
    return rows


def drilldown_numbers(
    period: Period, snapshot: EvaluationSnapshot, code: str, cache: dict | None = None
) -> dict:
    """{"by": {breakdown: [[key, value, n], …] or None where it does not apply},
    "surveys": [[survey id, n], …]}: numbers only (kept with the snapshot's figures).
    `cache` (a dict shared by the calls for several indicators of one snapshot, with
    "metrics": every survey metric) lets them share their grouped queries."""
    by_rows = {}
    cache = {} if cache is None else cache
    for by in BY:
        if code in SURVEY:
            raw = _survey_rows(period, code, by, snapshot, cache)
        elif code in PURCHASE:
            raw = _purchase_rows(period, code, by, snapshot, cache)
        elif code in VALUE:
            raw = _value_rows(code, by, snapshot)
        else:
            raw = _case_rows(period, code, by)
        by_rows[by] = None if raw is None else [list(r) for r in raw]
    return {"by": by_rows, "surveys": survey_counts(period, code)}


def indicator_drilldown(period: Period, snapshot: EvaluationSnapshot, code: str) -> dict:
    """{"breakdowns": [{"by", "label", "applies", "rows": [{label, value_text, n, links}]}],
    "responses": [...], "state": {"status", "computed_on"}} for one indicator of the period,
    in words. The numbers are computed ahead by a worker (nightly, or asked once when a page
    finds them missing: `part_state`); until then "breakdowns" is empty and the state says
    "computing"."""
    numbers, state = part_state(snapshot, f"drill:{code}")
    if numbers is None:
        return {"breakdowns": [], "responses": [], "state": state}
    top = responses_behind(period, code, numbers["surveys"])
    top_survey = top[0]["survey"] if top else None
    base = {"from": period.start.isoformat(), "to": period.end.isoformat()}
    breakdowns, stores = [], words.store_labels()
    for by, title in BY.items():
        raw = numbers["by"][by]
        if by == "value_tier" and raw:
            raw = sorted(raw, key=lambda row: TIER_ORDER.get(row[0], len(TIER_ORDER)))
        rows = []
        for key, value, n in raw or []:
            links = []
            if by in DIRECTORY and key:
                links.append({"label": _("Customers"),
                              "url": _url("surveys:customers", {DIRECTORY[by]: key})})  # fmt: skip
            if code in SURVEY and by in RESULTS and key and top_survey:
                links.append({"label": _("Answers"), "url": _url(
                    "surveys:results", {**base, RESULTS[by]: key}, top_survey)})  # fmt: skip
            rows.append({"key": key, "label": words.breakdown_label(by, key, stores),
                         "value": None if value is None else round(float(value), 2),
                         "value_text": words.value_text(code, value),
                         "n": n, "n_text": words.number(n, 0), "links": links})  # fmt: skip
        breakdowns.append({"by": by, "label": str(title), "applies": raw is not None,
                           "rows": rows})  # fmt: skip
    return {"breakdowns": breakdowns, "responses": top, "state": state}
