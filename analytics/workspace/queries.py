"""The evaluation workspace's reads: which period, its latest scorecard snapshot in words and
numbers, the trend of the last periods, sample sizes, the headline (behaviour of promoters,
passives and detractors after they answered; value at risk) and the CLV run's health.

One JSON-ready dict serves the page and the API (`evaluation_detail`)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from analytics.evaluations.periods import (
    Period,
    PeriodError,
    local_midnight,
    local_today,
    period_parse,
)
from analytics.metric_queries.filters import MetricFilters, latest_clv_run
from analytics.metric_queries.satisfaction_value import behaviour_by_nps_group, value_at_risk
from analytics.metric_queries.survey_metrics import metric_summary
from analytics.metrics.scorecard import STANDARD_INDICATORS, Dimension
from analytics.models import EvaluationSnapshot, Purchase
from analytics.workspace import words
from analytics.workspace.health import clv_health
from feedback.models.cases import Case
from surveyhub.api.errors import DomainError

TREND_PERIODS = 8
INDEX_TARGET = 100.0  # an index of 100 = every indicator with data at or above its target


class WorkspaceError(DomainError):
    """A period the workspace cannot show: malformed (400), in the future or never evaluated
    (404). The message is translated and names the period."""

    field = "period"


def period_or_error(code: str) -> Period:
    """The period of a code; malformed → 400, not begun yet → 404."""
    try:
        period = period_parse(code)
    except PeriodError as exc:
        raise WorkspaceError(
            _("“%(code)s” is not a period: %(why)s") % {"code": code[:20], "why": exc.message}
        ) from None
    if period.start > local_today():
        error = WorkspaceError(
            _("%(period)s has not begun yet: there is nothing to evaluate.")
            % {"period": words.period_label(period.code)}
        )
        error.status_code = 404
        raise error
    return period


def latest_snapshot(code: str) -> EvaluationSnapshot | None:
    return (
        EvaluationSnapshot.objects.filter(period=code)
        .select_related("clv_run")
        .order_by("-version")
        .first()
    )


def snapshot_or_error(period: Period) -> EvaluationSnapshot:
    snapshot = latest_snapshot(period.code)
    if snapshot is None:
        error = WorkspaceError(
            _("%(period)s has not been evaluated yet: the scorecard is computed every night "
              "for this quarter, the previous one and this month.")
            % {"period": words.period_label(period.code)}
        )  # fmt: skip
        error.status_code = 404
        raise error
    return snapshot


def default_period() -> Period | None:
    """The latest evaluated quarter (the scorecard's usual period), else the latest month."""
    begun = EvaluationSnapshot.objects.filter(period_start__lte=local_today())
    for kind in (Q(period__contains="Q"), ~Q(period__contains="Q")):
        code = begun.filter(kind).order_by("-period_start").values_list("period", flat=True).first()
        if code:
            return period_parse(code)
    return None


def evaluated_periods() -> list[dict]:
    """Every evaluated period, newest first: [{"code", "label"}]."""
    codes = (
        EvaluationSnapshot.objects.order_by("-period_start", "period")
        .values_list("period", flat=True)
        .distinct()
    )
    seen = list(dict.fromkeys(codes))
    return [{"code": c, "label": words.period_label(c)} for c in seen]


def provisional(period: Period, snapshot: EvaluationSnapshot) -> dict:
    """A snapshot computed before its period ended is provisional: it covers only the days up
    to its computation and is compared with the whole previous period (stated, not hidden)."""
    computed = snapshot.computed_at.astimezone(local_midnight(period.start).tzinfo).date()
    total = (period.end - period.start).days + 1
    if computed > period.end:
        return {"provisional": False, "days_covered": total, "days_total": total,
                "comparison": "complete", "note": ""}  # fmt: skip
    covered = max(0, min((computed - period.start).days + 1, total))
    note = _(
        "Provisional: computed on day %(days)s of %(total)s. Changes compare these %(days)s "
        "days with the whole previous period, so a rate that grows with time (retention, "
        "repurchase) looks lower than it will be."
    ) % {"days": covered, "total": total}
    return {"provisional": True, "days_covered": covered, "days_total": total,
            "comparison": "whole_previous_period", "note": note}  # fmt: skip


def _periods_back(period: Period, count: int) -> list[Period]:
    periods = [period]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    return list(reversed(periods))


def trend(period: Period) -> dict:
    """The index and the four dimension indexes of the last TREND_PERIODS periods of the same
    kind (None where a period was not evaluated)."""
    periods = _periods_back(period, TREND_PERIODS)
    latest: dict[str, dict] = {}
    rows = (
        EvaluationSnapshot.objects.filter(period__in=[p.code for p in periods])
        .order_by("period", "-version")
        .values_list("period", "result")
    )
    for code, result in rows:
        latest.setdefault(code, result or {})
    dimensions = {d.value: [] for d in Dimension}
    index = []
    for p in periods:
        result = latest.get(p.code, {})
        index.append(_rounded(result.get("index")))
        by_dim = {d.get("dimension"): d for d in result.get("dimensions", [])}
        for code, series in dimensions.items():
            series.append(_rounded(by_dim.get(code, {}).get("index")))
    return {
        "periods": [p.code for p in periods],
        "labels": [words.period_label(p.code) for p in periods],
        "index": index,
        "dimensions": [
            {"code": code, "label": str(words.DIMENSIONS[code]), "values": values}
            for code, values in dimensions.items()
        ],
    }


def sample_sizes(period: Period, snapshot: EvaluationSnapshot) -> dict[str, dict]:
    """Each indicator's n and what it counts, from the data as it is now."""
    summary = metric_summary(MetricFilters(start=period.start, end=period.end))

    def customers(p: Period) -> int:
        return (
            Purchase.objects.filter(
                ordered_at__gte=local_midnight(p.start),
                ordered_at__lt=local_midnight(p.end_exclusive),
                amount__gte=0,
            )
            .values("customer_id")
            .distinct()
            .count()
        )

    opened = Case.objects.filter(
        created_at__gte=local_midnight(period.start),
        created_at__lt=local_midnight(period.end_exclusive),
    )
    counts = opened.aggregate(n=_count(), answered=_count(Q(first_response_at__isnull=False)))
    active = customers(period)
    run_customers = snapshot.clv_run.n_customers if snapshot.clv_run_id else None
    answers = pgettext("sample size", "answers")
    cust = pgettext("sample size", "customers")
    cases = pgettext("sample size", "cases")
    sizes = {
        "nps": (summary.nps.n, answers), "promoter_share": (summary.nps.n, answers),
        "csat": (summary.csat.n, answers), "ces": (summary.ces.n, answers),
        "repurchase_rate": (active, cust), "cross_sell_rate": (active, cust),
        "retention_rate": (customers(period.previous()), cust),
        "clv": (run_customers, cust), "clv_change": (run_customers, cust),
        "first_response_time": (counts["answered"], cases),
        "resolution_rate": (counts["n"], cases),
    }  # fmt: skip
    return {
        code: {"n": n, "text": "—" if n is None else f"n = {words.number(n, 0)} {what}"}
        for code, (n, what) in sizes.items()
    }


def _count(condition: Q | None = None) -> Count:
    return Count("pk", filter=condition)


def _rounded(value, digits: int = 1):
    return None if value is None else round(float(value), digits)


def _status_of(statuses: list[str]) -> str:
    known = [s for s in statuses if s != "no_data"]
    if not known:
        return "no_data"
    if "missed" in known:
        return "missed"
    return "close" if "close" in known else "met"


def _significance(result: dict, code: str) -> dict | None:
    test = (result.get("change_tests") or {}).get(code)
    if not test or test.get("p_value") is None:
        return None
    p = test["p_value"]
    significant = p < 0.05 and not test.get("small_sample")
    if test.get("small_sample"):
        text = _("fewer than 30 answers: not testable")
    elif significant:
        text = _("significant (p = %(p)s)") % {"p": words.number(p, 3)}
    else:
        text = _("not significant (p = %(p)s)") % {"p": words.number(p, 2)}
    return {"p_value": p, "significant": significant, "text": text}


def scorecard_view(snapshot: EvaluationSnapshot, previous: EvaluationSnapshot | None,
                   samples: dict[str, dict] | None = None) -> dict:  # fmt: skip
    """The index, the four dimensions and every indicator of a snapshot, in words."""
    result = snapshot.result or {}
    before = (previous.result or {}) if previous else {}
    rows = {row.get("code"): row for row in result.get("indicators", [])}
    indicators = []
    for code in STANDARD_INDICATORS:
        row = rows.get(code, {})
        name, definition, unit = words.INDICATORS[code]
        status = row.get("status") or "no_data"
        indicators.append({
            "code": code, "label": str(name), "definition": str(definition), "unit": unit,
            "dimension": STANDARD_INDICATORS[code][0].value,
            "dimension_label": str(words.DIMENSIONS[STANDARD_INDICATORS[code][0].value]),
            "value": _rounded(row.get("value"), 2),
            "value_text": words.value_text(code, row.get("value")),
            "target": _rounded(row.get("target"), 2),
            "target_text": words.value_text(code, row.get("target")),
            "previous_text": words.value_text(code, row.get("previous")),
            "change": _rounded(row.get("change"), 2),
            "change_text": words.change_text(code, row.get("change")),
            "higher_is_better": STANDARD_INDICATORS[code][1].value == "higher",
            "status": status, "status_label": str(words.STATUSES[status]),
            "n": (samples or {}).get(code, {}).get("n"),
            "n_text": (samples or {}).get(code, {}).get("text", "—"),
            "significance": _significance(result, code),
        })  # fmt: skip
    by_dimension = {d.get("dimension"): d for d in result.get("dimensions", [])}
    before_dims = {d.get("dimension"): d for d in before.get("dimensions", [])}
    dimensions = []
    for dim in Dimension:
        row = by_dimension.get(dim.value, {})
        members = [i for i in indicators if i["dimension"] == dim.value]
        status = _status_of([i["status"] for i in members])
        change = _difference(row.get("index"), before_dims.get(dim.value, {}).get("index"))
        dimensions.append({
            "code": dim.value, "label": str(words.DIMENSIONS[dim.value]),
            "index": _rounded(row.get("index")), "index_text": words.number(row.get("index")),
            "target": INDEX_TARGET, "weight": _rounded(row.get("weight"), 4),
            "weight_text": "—" if row.get("weight") is None
            else f"{words.number(100 * row['weight'], 0)}%",
            "status": status, "status_label": str(words.STATUSES[status]),
            "change": _rounded(change, 2), "change_text": words.index_change_text(change),
            "indicators": [i["code"] for i in members],
            "met": sum(i["status"] == "met" for i in members),
            "with_data": sum(i["status"] != "no_data" for i in members),
        })  # fmt: skip
    status = _status_of([i["status"] for i in indicators])
    change = _difference(result.get("index"), before.get("index"))
    met = sum(i["status"] == "met" for i in indicators)
    with_data = sum(i["status"] != "no_data" for i in indicators)
    index = {
        "value": _rounded(result.get("index")), "text": words.number(result.get("index")),
        "target": INDEX_TARGET, "status": status, "status_label": str(words.STATUSES[status]),
        "change": _rounded(change, 2), "change_text": words.index_change_text(change),
        "summary": _("%(met)s of %(n)s indicators with data meet their target.")
        % {"met": met, "n": with_data},
    }  # fmt: skip
    return {"index": index, "dimensions": dimensions, "indicators": indicators}


def _difference(current, previous):
    if current is None or previous is None:
        return None
    return float(current) - float(previous)


def headline(period: Period) -> dict:
    """Customers who answered NPS in the period before `period`, and what they did in it;
    the value at risk among the period's detractors."""
    answered = period.previous()
    behaviour = behaviour_by_nps_group(period=answered)
    groups = []
    for code in ("promoter", "passive", "detractor"):
        row = behaviour.get(code, {})
        groups.append({
            "group": code, "label": str(words.NPS_GROUPS[code]),
            "customers": row.get("customers", 0),
            "retention_rate": _rounded(row.get("retention_rate")),
            "retention_text": words.value_text("retention_rate", row.get("retention_rate")),
            "repurchase_rate": _rounded(row.get("repurchase_rate_next_period")),
            "repurchase_text": words.value_text(
                "repurchase_rate", row.get("repurchase_rate_next_period")),
        })  # fmt: skip
    risk = value_at_risk(period=period)
    run = latest_clv_run()
    return {
        "answered_in": answered.code,
        "answered_label": words.period_label(answered.code),
        "measured_in": period.code,
        "measured_label": words.period_label(period.code),
        "groups": groups,
        "value_at_risk": {
            "detractors": risk.detractors,
            "detractor_revenue": float(risk.detractor_revenue),
            "detractor_revenue_text": words.money(risk.detractor_revenue),
            "detractor_clv": float(risk.detractor_clv),
            "detractor_clv_text": words.money(risk.detractor_clv),
            "open_case_customers": risk.open_case_customers,
            "open_case_clv": float(risk.open_case_clv),
            "open_case_clv_text": words.money(risk.open_case_clv),
            "clv_as_of": run.as_of.isoformat() if run else None,
        },
    }


def evaluation_detail(
    snapshot: EvaluationSnapshot, *, full: bool = True, previous: dict | None = None
) -> dict:
    """Everything the workspace shows of one snapshot; `full` adds sample sizes, the trend,
    the headline and the CLV health (the list endpoint leaves them out and hands in the
    previous periods' snapshots it read at once, `latest_snapshots`)."""
    period = period_parse(snapshot.period)
    code = period.previous().code
    previous = previous.get(code) if previous is not None else latest_snapshot(code)
    samples = sample_sizes(period, snapshot) if full else None
    data = {
        "period": period.code,
        "period_label": words.period_label(period.code),
        "kind": period.kind,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "version": snapshot.version,
        "computed_at": snapshot.computed_at.isoformat(),
        "previous_period": period.previous().code,
        "previous_label": words.period_label(period.previous().code),
        "running": period.start <= local_today() <= period.end,
        **provisional(period, snapshot),
        **scorecard_view(snapshot, previous, samples),
    }
    if full:
        data["trend"] = trend(period)
        data["headline"] = headline(period)
        data["clv_health"] = clv_health(snapshot.clv_run)
    return data
