"""Improvement actions, the reads: the list with status in words and colour (overdue is
worked out from the due date), and each action's indicator before and after, per later
period, with a significance test where the data allow one."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from analytics.actions.effect import two_proportion_test
from analytics.evaluations.periods import PeriodError, local_today, period_containing, period_parse
from analytics.metric_queries.filters import MetricFilters
from analytics.metric_queries.survey_metrics import metric_summary
from analytics.metrics.csat import csat_change_test
from analytics.metrics.nps import nps_change_test
from analytics.models import ActionStatus, EvaluationSnapshot, ImprovementAction
from analytics.workspace import words

LATER_PERIODS = 4
STATUS_CLASS = {"open": "info", "in_progress": "close", "done": "met", "overdue": "missed"}
# Indicators measured on survey answers: tested on the answers of both periods.
TESTED = ("nps", "csat", "promoter_share")
SIGNIFICANCE = 0.05


def status_of(action: ImprovementAction, today: dt.date) -> tuple[str, str]:
    """(code, words): open / in progress / done, or overdue when past its due date."""
    if action.is_overdue(today):
        return "overdue", pgettext("action", "Overdue")
    return action.status, action.get_status_display()


def action_row(action: ImprovementAction, today: dt.date) -> dict:
    code, label = status_of(action, today)
    source = action.get_source_display()
    if action.alert_id:
        source = _("Alert: %(title)s") % {"title": action.alert.title}
    elif action.topic_id:
        source = _("Topic: %(name)s") % {"name": action.topic.name}
    return {
        "action": action, "status": code, "status_label": label, "css": STATUS_CLASS[code],
        "indicator_label": words.label(action.indicator), "source": source,
        "expected_text": words.change_text(action.indicator, action.expected_change),
        "baseline_text": words.value_text(action.indicator, action.baseline_value),
        "period_label": words.period_label(action.baseline_period),
        "days_left": (action.due_date - today).days,
        "days_late": max(0, (today - action.due_date).days),
    }  # fmt: skip


def action_rows(*, status: str = "", limit: int = 200) -> list[dict]:
    today = local_today()
    qs = ImprovementAction.objects.select_related("owner", "alert", "topic")
    if status == "overdue":
        qs = qs.exclude(status=ActionStatus.DONE).filter(due_date__lt=today)
    elif status == "active":
        qs = qs.exclude(status=ActionStatus.DONE)
    elif status in ActionStatus.values:
        qs = qs.filter(status=status)
    return [action_row(a, today) for a in qs.order_by("status", "due_date", "id")[:limit]]


def action_counts(today: dt.date | None = None) -> dict:
    today = today or local_today()
    active = ImprovementAction.objects.exclude(status=ActionStatus.DONE)
    return {
        "active": active.count(),
        "overdue": active.filter(due_date__lt=today).count(),
        "due_soon": active.filter(
            due_date__gte=today, due_date__lte=today + dt.timedelta(days=7)
        ).count(),
    }


def actions_due(*, days: int = 14, limit: int = 8) -> list[dict]:
    """Active actions due within `days` or already overdue, soonest first (home pages)."""
    today = local_today()
    qs = (
        ImprovementAction.objects.exclude(status=ActionStatus.DONE)
        .filter(due_date__lte=today + dt.timedelta(days=days))
        .select_related("owner", "alert", "topic")
        .order_by("due_date", "id")[:limit]
    )
    return [action_row(a, today) for a in qs]


def snapshot_value(code: str, period_code: str) -> float | None:
    snapshot = EvaluationSnapshot.objects.filter(period=period_code).order_by("-version").first()
    if snapshot is None:
        return None
    for indicator in snapshot.result.get("indicators", []):
        if indicator["code"] == code:
            return indicator.get("value")
    return None


def survey_figures(code: str, period):
    summary = metric_summary(MetricFilters(start=period.start, end=period.end))
    if code == "nps":
        return summary.nps.value, summary.nps
    if code == "csat":
        return summary.csat.top2_share, summary.csat
    return summary.nps.promoter_share, summary.nps


def _test(code: str, now, before):
    if code == "nps":
        return nps_change_test(current=now, previous=before)
    if code == "csat":
        return csat_change_test(current=now, previous=before)
    return two_proportion_test(hits=now.promoters, n=now.n, hits_before=before.promoters,
                               n_before=before.n)  # fmt: skip


def _verdict(test, expected: float, higher_is_better: bool) -> str:
    if test is None or test.difference is None:
        return _("No test: no answers in one of the periods.")
    p = "p < 0.001" if test.p_value < 0.001 else f"p = {test.p_value:.3f}"
    if test.p_value >= SIGNIFICANCE:
        return _("Not significant (%(p)s): could be chance.") % {"p": p}
    better = test.difference > 0 if higher_is_better else test.difference < 0
    if better:
        return _("Significant improvement (%(p)s).") % {"p": p}
    return _("Significant change for the worse (%(p)s).") % {"p": p}


def action_effect(action: ImprovementAction) -> dict:
    """The indicator in the baseline period and each later one (up to the running period),
    with the change, whether the expected change was reached and the significance."""
    try:
        baseline = period_parse(action.baseline_period)
    except PeriodError:
        return {"rows": [], "note": ""}
    code = action.indicator
    higher = action.expected_change > 0
    tested = code in TESTED
    if tested:
        before_value, before = survey_figures(code, baseline)
    else:
        before_value, before = snapshot_value(code, baseline.code), None
    if before_value is None:
        before_value = action.baseline_value
    running = period_containing(local_today(), kind=baseline.kind)
    rows, period = [], baseline.next()
    while period.start <= running.start and len(rows) < LATER_PERIODS:
        if tested:
            value, figures = survey_figures(code, period)
            test = _test(code, figures, before)
            n_text = _("n = %(n)s") % {"n": figures.n}
        else:
            value, test, n_text = snapshot_value(code, period.code), None, ""
        change = None if value is None or before_value is None else value - before_value
        reached = change is not None and (change >= action.expected_change if higher
                                          else change <= action.expected_change)  # fmt: skip
        rows.append({
            "period": period.code, "period_label": words.period_label(period.code),
            "running": period.start == running.start,
            "value_text": words.value_text(code, value), "change": change,
            "change_text": words.change_text(code, change), "n_text": n_text,
            "reached": reached, "verdict": _verdict(test, action.expected_change, higher)
            if tested else _("No significance test: this indicator is not a share of survey "
                            "answers; compare the values."),
            "p_value": None if test is None else test.p_value,
        })  # fmt: skip
        period = period.next()
    return {
        "baseline_label": words.period_label(baseline.code),
        "baseline_text": words.value_text(code, before_value),
        "target_text": words.value_text(
            code, None if before_value is None else before_value + action.expected_change
        ),
        "rows": rows,
        "note": ""
        if rows
        else _(
            "No later period has begun yet: the comparison appears once the next period starts."
        ),
    }
