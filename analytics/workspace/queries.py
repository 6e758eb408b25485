"""The evaluation workspace's reads: which period, its latest scorecard snapshot in words and
numbers, the trend of the last periods, sample sizes, the headline (behaviour of promoters,
passives and detractors after they answered; value at risk) and the CLV run's health.

One JSON-ready dict serves the page and the API (`evaluation_detail`)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import npgettext

from analytics.evaluations.periods import (
    Period,
    PeriodError,
    local_today,
    period_parse,
)
from analytics.metrics.scorecard import STANDARD_INDICATORS, Dimension
from analytics.models import EvaluationSnapshot
from analytics.workspace import words
from analytics.workspace.figures import coverage, figures_of, figures_state
from analytics.workspace.health import clv_health
from analytics.workspace.holdout import holdout_words
from analytics.workspace.index_significance import NOTE as INDEX_TEST_NOTE
from analytics.workspace.index_significance import index_tests
from analytics.workspace.intervals import indicator_interval
from analytics.workspace.relationship_block import relationship_words
from analytics.workspace.same_days import same_days_words
from surveyhub.api.errors import DomainError
from surveyhub.formatting import format_count

TREND_PERIODS = 8
REFRESH_SECONDS = 5  # a page waiting for its figures reloads itself this often
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


def provisional(period: Period, snapshot: EvaluationSnapshot, same_days: dict | None) -> dict:
    """A snapshot computed before its period ended is provisional: it covers only the days up
    to its computation. Its changes compare these days with the whole previous period (as the
    scorecard does), so beside them the workspace shows the same number of days of the
    previous period (`same_days`) and says which comparison is which."""
    covered, total = coverage(period, snapshot)
    if covered >= total:
        return {"provisional": False, "days_covered": total, "days_total": total,
                "comparison": "complete", "note": "", "same_days": None}  # fmt: skip
    note = _(
        "Provisional: computed on day %(days)s of %(total)s. The changes on the cards compare "
        "these %(days)s days with the whole previous period, so a rate that grows with time "
        "(retention, repurchase) looks lower than it will be; the same-days comparison below "
        "sets them against the previous period's first %(days)s days."
    ) % {"days": covered, "total": total}
    return {"provisional": True, "days_covered": covered, "days_total": total,
            "comparison": "same_days" if same_days else "whole_previous_period", "note": note,
            "same_days": same_days_words(same_days) if same_days else None}  # fmt: skip


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


def sample_sizes(numbers: dict[str, int | None]) -> dict[str, dict]:
    """Each indicator's n in words, singular or plural: "n = 1 answer", "n = 1,234 answers"."""
    unit = {
        "repurchase_rate": "customers", "cross_sell_rate": "customers",
        "retention_rate": "customers", "clv": "customers", "clv_change": "customers",
        "first_response_time": "cases", "resolution_rate": "cases",
    }  # fmt: skip

    def counted(code: str, n: int) -> str:
        if code in unit:
            return format_count(n, unit[code])
        words_ = npgettext("sample size", "%(n)s answer", "%(n)s answers", n)
        return words_ % {"n": words.number(n, 0)}

    return {
        code: {"n": n, "text": "—" if n is None else f"n = {counted(code, n)}"}
        for code, n in numbers.items()
    }


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


def interval_view(code: str, values: dict, n: int | None, spread: dict | None) -> dict:
    """An indicator's 95% interval in numbers and words ("—" or why there is none; empty
    without a value)."""
    if values.get(code) is None:
        return {"low": None, "high": None, "text": ""}
    bounds = indicator_interval(code, values, n, spread)
    if bounds is None:
        why = (_("none: a change between two model runs") if code == "clv_change"
               else _("none: a median of cases") if code == "first_response_time"
               else "—")  # fmt: skip
        return {"low": None, "high": None, "text": why}
    low, high = bounds
    text = _("%(low)s to %(high)s") % {
        "low": words.value_text(code, low),
        "high": words.value_text(code, high),
    }
    return {"low": _rounded(low, 2), "high": _rounded(high, 2), "text": text}


def scorecard_view(snapshot: EvaluationSnapshot, previous: EvaluationSnapshot | None,
                   samples: dict[str, dict] | None = None,
                   spread: dict | None = None) -> dict:  # fmt: skip
    """The index, the four dimensions and every indicator of a snapshot, in words; each
    indicator's 95% interval once the sample sizes (and `spread`, for means) are known."""
    result = snapshot.result or {}
    before = (previous.result or {}) if previous else {}
    rows = {row.get("code"): row for row in result.get("indicators", [])}
    values = {code: row.get("value") for code, row in rows.items()}
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
            "churn_text": words.value_text(code, 100.0 - row["value"])
            if code == "retention_rate" and row.get("value") is not None else "",
            "interval": interval_view(code, values, (samples or {}).get(code, {}).get("n"),
                                      spread),
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
            "significance": None, "indicators": [i["code"] for i in members],
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
        "significance": None,  # single period: evaluation_detail
        "summary": _("%(met)s of %(n)s indicators with data meet their target.")
        % {"met": met, "n": with_data},
    }  # fmt: skip
    return {"index": index, "dimensions": dimensions, "indicators": indicators}


def _difference(current, previous):
    if current is None or previous is None:
        return None
    return float(current) - float(previous)


def headline(period: Period, numbers: dict) -> dict:
    """Customers who answered NPS in the period before `period`, and what they did in it;
    the value at risk among the period's detractors (`numbers`: `headline_numbers`)."""
    answered = period.previous()
    groups = []
    for code in ("promoter", "passive", "detractor"):
        row = numbers["groups"].get(code, {})
        groups.append({
            "group": code, "label": str(words.NPS_GROUPS[code]),
            "customers": row.get("customers", 0),
            "customers_text": words.number(row.get("customers", 0), 0),
            "retention_rate": _rounded(row.get("retention_rate")),
            "retention_text": words.value_text("retention_rate", row.get("retention_rate")),
            "repurchase_rate": _rounded(row.get("repurchase_rate")),
            "repurchase_text": words.value_text("repurchase_rate", row.get("repurchase_rate")),
        })  # fmt: skip
    risk = numbers["risk"]
    return {
        "answered_in": answered.code,
        "answered_label": words.period_label(answered.code),
        "measured_in": period.code,
        "measured_label": words.period_label(period.code),
        "groups": groups,
        "value_at_risk": {
            **risk,
            "detractors_text": words.number(risk["detractors"], 0),
            "detractor_revenue_text": words.money(risk["detractor_revenue"]),
            "detractor_clv_text": words.money(risk["detractor_clv"]),
            "open_case_customers_text": words.number(risk["open_case_customers"], 0),
            "open_case_clv_text": words.money(risk["open_case_clv"]),
        },
    }


def evaluation_detail(
    snapshot: EvaluationSnapshot, *, full: bool = True, previous: dict | None = None,
    wait: bool = False,
) -> dict:  # fmt: skip
    """Everything the workspace shows of one snapshot; `full` adds sample sizes, the trend,
    the headline, the same-days comparison, the cases and the CLV health from the snapshot's
    kept figures (the list endpoint leaves them out and hands in the previous periods'
    snapshots it read at once, `latest_snapshots`).

    A page or API call never computes the kept figures: when they are missing, "figures"
    says "computing" and their parts are None (a worker was asked once); stale ones are
    shown as "stale". `wait` (the report worker) computes them here instead."""
    period = period_parse(snapshot.period)
    code = period.previous().code
    previous = previous.get(code) if previous is not None else latest_snapshot(code)
    figures, state = None, None
    if full and wait:
        figures = figures_of(snapshot)
        state = {"status": "ready", "computed_on": local_today().isoformat()}
    elif full:
        figures, state = figures_state(snapshot)
    if full and figures is None:
        samples = {code: {"n": None, "text": str(words.COMPUTING)} for code in STANDARD_INDICATORS}
    else:
        samples = sample_sizes(figures["samples"]) if full else None
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
        **provisional(period, snapshot, figures["same_days"] if figures else None),
        **scorecard_view(snapshot, previous, samples, figures.get("spread") if figures else None),
    }
    if full:
        before = (previous.result or {}) if previous else {}
        previous_id = previous.pk if previous else None
        overall, by_dim = index_tests(snapshot.result or {}, before, figures, previous_id)
        data["index"]["significance"] = overall
        for d in data["dimensions"]:
            d["significance"] = by_dim.get(d["code"])
        data["index_test_note"] = str(INDEX_TEST_NOTE)
        data["figures"] = figures_words(state)
        data["trend"] = trend(period)
        data["headline"] = headline(period, figures["headline"]) if figures else None
        data["cases"] = case_words(figures["cases"]) if figures else None
        # Figures kept before referrals were counted have none: the block waits for the next.
        data["referrals"] = figures.get("referrals") if figures else None
        data["relationship"] = relationship_words(figures.get("relationship") if figures else None)
        data["clv_health"] = clv_health(snapshot.clv_run)
        if data["clv_health"] is not None:  # kept figures before the check have none
            data["clv_health"]["holdout"] = holdout_words((figures or {}).get("holdout"))
    return data


def figures_words(state: dict) -> dict:
    """The kept figures' state in words: ready, stale (shown while a worker refreshes them)
    or computing (a worker was asked; the page refreshes itself)."""
    status, day = state["status"], state["computed_on"]
    if status == "computing":
        text = _("Computing… the sample sizes, the headline, the cases and the drill-downs of "
                 "this period are being computed; this page refreshes itself.")  # fmt: skip
    elif status == "stale":
        text = _("These figures were computed on %(day)s and are being updated; this page "
                 "refreshes itself.") % {"day": day}  # fmt: skip
    else:
        text = ""
    return {**state, "text": text, "refresh_seconds": REFRESH_SECONDS if text else None}


def case_words(numbers: dict) -> dict:
    """The period's cases in words: totals and one row per status and priority, by label."""
    from feedback.models.cases import CasePriority, CaseStatus

    def rows(counts: dict, choices) -> list[dict]:
        return [
            {"code": value, "label": str(label), "n": counts.get(value, 0)}
            for value, label in choices
            if counts.get(value)
        ]

    opened = numbers["opened"]
    rate = 100.0 * numbers["resolved"] / opened if opened else None
    resolved = numbers["resolved"]
    in_time = 100.0 * numbers["resolved_in_time"] / resolved if resolved else None
    return {
        **{k: v for k, v in numbers.items() if not k.startswith("by_")},
        "resolved_rate_text": words.value_text("resolution_rate", rate),
        "in_time_rate_text": words.value_text("resolution_rate", in_time),
        "by_status": rows(numbers["by_status"], CaseStatus.choices),
        "by_priority": rows(numbers["by_priority"], CasePriority.choices),
    }
