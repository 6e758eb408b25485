"""Checking one alert rule against the data (reads only): what fired, as findings with a
stable key (one alert per rule and key) and the figures behind it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from scipy.stats import binomtest

from analytics.alerts.windows import Window, last_complete
from analytics.evaluations.periods import local_midnight
from analytics.metric_queries.filters import MetricFilters
from analytics.metric_queries.survey_metrics import metric_summary
from analytics.metrics.csat import csat_change_test
from analytics.metrics.nps import nps_change_test
from analytics.models import AlertRule, AlertRuleKind, EvaluationSnapshot
from feedback.models import FeedbackTopic


@dataclass(frozen=True)
class Finding:
    key: str
    details: dict = field(default_factory=dict)


def _round(value, digits: int = 2):
    return None if value is None else round(float(value), digits)


def _filters(window: Window) -> MetricFilters:
    return MetricFilters(start=window.start, end=window.end)


def _windows(window: Window) -> dict:
    previous = window.previous()
    return {
        "window": window.kind, "current_key": window.key, "previous_key": previous.key,
        "current_start": window.start.isoformat(), "current_end": window.end.isoformat(),
    }  # fmt: skip


def check_drop(rule: AlertRule, window: Window) -> list[Finding]:
    """NPS or CSAT (top-2-box) lower than the previous window by at least `threshold` points,
    with p < `significance` (the metrics' two-sample z-tests)."""
    current = metric_summary(_filters(window))
    previous = metric_summary(_filters(window.previous()))
    if rule.kind == AlertRuleKind.NPS_DROP:
        metric, now, before = "nps", current.nps, previous.nps
        test = nps_change_test(current=now, previous=before)
        values = (now.value, before.value)
    else:
        metric, now, before = "csat", current.csat, previous.csat
        test = csat_change_test(current=now, previous=before)
        values = (now.top2_share, before.top2_share)
    if test.difference is None or now.n < rule.min_count:
        return []
    if test.difference > -(rule.threshold or 0) or test.p_value >= rule.significance:
        return []
    return [
        Finding(
            key=f"{metric}:{window.key}",
            details={
                "metric": metric, "current": _round(values[0]), "previous": _round(values[1]),
                "difference": _round(test.difference), "p_value": _round(test.p_value, 4),
                "n_current": test.n_current, "n_previous": test.n_previous,
                "threshold": rule.threshold, **_windows(window),
            },
        )
    ]  # fmt: skip


def check_detractor_share(rule: AlertRule, window: Window) -> list[Finding]:
    result = metric_summary(_filters(window)).nps
    if result.n < rule.min_count or result.detractor_share is None:
        return []
    if result.detractor_share <= rule.threshold:
        return []
    return [
        Finding(
            key=f"detractors:{window.key}",
            details={
                "share": _round(result.detractor_share), "threshold": rule.threshold,
                "detractors": result.detractors, "n": result.n, **_windows(window),
            },
        )
    ]  # fmt: skip


def check_below_target(rule: AlertRule, window: Window) -> list[Finding]:
    """The indicator missed its target in the latest scorecard of the last complete month or
    quarter (the nightly snapshot)."""
    snapshot = EvaluationSnapshot.objects.filter(period=window.key).order_by("-version").first()
    if snapshot is None:
        return []
    codes = [rule.indicator] if rule.indicator else None
    findings = []
    for indicator in snapshot.result.get("indicators", []):
        if codes and indicator["code"] not in codes:
            continue
        if indicator.get("status") != "missed":
            continue
        findings.append(
            Finding(
                key=f"target:{indicator['code']}:{window.key}",
                details={
                    "indicator": indicator["code"], "value": indicator.get("value"),
                    "target": indicator.get("target"), "direction": indicator.get("direction"),
                    "period": window.key, "snapshot_version": snapshot.version,
                    **_windows(window),
                },
            )
        )  # fmt: skip
    return findings


def check_topic_surge(rule: AlertRule, window: Window) -> list[Finding]:
    """Topics whose negative feedback in the window is at least `threshold` times the previous
    window's, with at least `min_count` of them, and a one-sided binomial test of the two
    counts (equal windows: 50/50 under no change) below `significance`."""
    previous = window.previous()
    start, middle = local_midnight(previous.start), local_midnight(window.start)
    end = local_midnight(window.end + dt.timedelta(days=1))
    links = FeedbackTopic.objects.filter(
        item__sentiment_label="negative", item__created_at__gte=start, item__created_at__lt=end
    )
    if rule.topic_id:
        links = links.filter(topic_id=rule.topic_id)
    rows = (
        links.values("topic_id", "topic__name")
        .annotate(
            current=Count("item_id", filter=Q(item__created_at__gte=middle), distinct=True),
            previous=Count("item_id", filter=Q(item__created_at__lt=middle), distinct=True),
        )
        .order_by("topic_id")
    )
    findings = []
    for row in rows:
        now, before = row["current"], row["previous"]
        if now < rule.min_count or now < (rule.threshold or 1) * before:
            continue
        p_value = binomtest(now, now + before, 0.5, alternative="greater").pvalue
        if p_value >= rule.significance:
            continue
        findings.append(
            Finding(
                key=f"topic:{row['topic_id']}:{window.key}",
                details={
                    "topic_id": row["topic_id"], "topic": row["topic__name"], "current": now,
                    "previous": before, "ratio": _round(now / before) if before else None,
                    "p_value": _round(p_value, 4), "threshold": rule.threshold,
                    **_windows(window),
                },
            )
        )  # fmt: skip
    return findings


CHECKS = {
    AlertRuleKind.NPS_DROP: check_drop,
    AlertRuleKind.CSAT_DROP: check_drop,
    AlertRuleKind.DETRACTOR_SHARE: check_detractor_share,
    AlertRuleKind.BELOW_TARGET: check_below_target,
    AlertRuleKind.TOPIC_SURGE: check_topic_surge,
}


def rule_findings(rule: AlertRule, *, today: dt.date) -> list[Finding]:
    """What the rule finds in the last complete window before `today`."""
    return CHECKS[AlertRuleKind(rule.kind)](rule, last_complete(today, rule.window))
