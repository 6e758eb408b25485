"""The workspace's figures of one snapshot that read the period's rows (sample sizes, the
headline, the same-days comparison of a running period, the cases): numbers only, computed
once a day per snapshot and kept in `WorkspaceFigures`, so a page view reads one row.

Numbers, never words: the page and the report word them in the reader's language."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Count, Q

from analytics.evaluations.periods import Period, local_midnight, local_today, period_parse
from analytics.metric_queries.filters import MetricFilters, latest_clv_run
from analytics.metric_queries.satisfaction_value import behaviour_by_nps_group, value_at_risk
from analytics.metric_queries.survey_metrics import metric_summary
from analytics.models import EvaluationSnapshot, Purchase, WorkspaceFigures
from analytics.workspace.cases import case_numbers
from analytics.workspace.same_days import same_days_numbers
from feedback.models.cases import Case

KEPT_FOR = dt.timedelta(days=1)


def coverage(period: Period, snapshot: EvaluationSnapshot) -> tuple[int, int]:
    """(days covered by the snapshot, days in the period): a snapshot computed before its
    period ended covers the days up to its computation."""
    computed = snapshot.computed_at.astimezone(local_midnight(period.start).tzinfo).date()
    total = (period.end - period.start).days + 1
    if computed > period.end:
        return total, total
    return max(0, min((computed - period.start).days + 1, total)), total


def _customers(period: Period) -> int:
    return (
        Purchase.objects.filter(
            ordered_at__gte=local_midnight(period.start),
            ordered_at__lt=local_midnight(period.end_exclusive),
            amount__gte=0,
        )
        .values("customer_id")
        .distinct()
        .count()
    )


def sample_numbers(period: Period, snapshot: EvaluationSnapshot) -> dict[str, int | None]:
    """Each indicator's n: answers, customers or cases counted."""
    summary = metric_summary(MetricFilters(start=period.start, end=period.end))
    counts = Case.objects.filter(
        created_at__gte=local_midnight(period.start),
        created_at__lt=local_midnight(period.end_exclusive),
    ).aggregate(n=Count("pk"), answered=Count("pk", filter=Q(first_response_at__isnull=False)))
    active = _customers(period)
    run_customers = snapshot.clv_run.n_customers if snapshot.clv_run_id else None
    return {
        "nps": summary.nps.n, "promoter_share": summary.nps.n, "csat": summary.csat.n,
        "ces": summary.ces.n, "repurchase_rate": active, "cross_sell_rate": active,
        "retention_rate": _customers(period.previous()), "clv": run_customers,
        "clv_change": run_customers, "first_response_time": counts["answered"],
        "resolution_rate": counts["n"],
    }  # fmt: skip


def headline_numbers(period: Period) -> dict:
    behaviour = behaviour_by_nps_group(period=period.previous())
    risk = value_at_risk(period=period)
    run = latest_clv_run()
    return {
        "groups": {
            code: {
                "customers": row.get("customers", 0),
                "retention_rate": row.get("retention_rate"),
                "repurchase_rate": row.get("repurchase_rate_next_period"),
            }
            for code, row in behaviour.items()
        },
        "risk": {
            "detractors": risk.detractors,
            "detractor_revenue": float(risk.detractor_revenue),
            "detractor_clv": float(risk.detractor_clv),
            "open_case_customers": risk.open_case_customers,
            "open_case_clv": float(risk.open_case_clv),
            "clv_as_of": run.as_of.isoformat() if run else None,
        },
    }


def figures_compute(snapshot: EvaluationSnapshot) -> dict:
    period = period_parse(snapshot.period)
    covered, total = coverage(period, snapshot)
    return {
        "samples": sample_numbers(period, snapshot),
        "headline": headline_numbers(period),
        "cases": case_numbers(period),
        "same_days": same_days_numbers(period, covered) if 0 < covered < total else None,
    }


def figures_of(snapshot: EvaluationSnapshot, *, refresh: bool = False) -> dict:
    """The snapshot's figures: kept ones when computed today or yesterday (so the hours
    between midnight and the nightly run read last night's), else computed now and kept
    (the nightly evaluation run computes them ahead: `workspace.nightly`)."""
    today = local_today()
    if not refresh:
        kept = (
            WorkspaceFigures.objects.filter(snapshot=snapshot, computed_on__gte=today - KEPT_FOR)
            .values_list("data", flat=True)
            .first()
        )
        if kept is not None:
            return kept
    data = figures_compute(snapshot)
    try:
        with transaction.atomic():
            WorkspaceFigures.objects.update_or_create(
                snapshot=snapshot, defaults={"data": data, "computed_on": today}
            )
    except IntegrityError:  # another request kept the same day's figures first
        pass
    return data


def figures_part(snapshot: EvaluationSnapshot, key: str, compute) -> object:
    """One more part of the kept figures (e.g. an indicator's drill-down), computed on first
    use and kept with the rest: `compute()` must return JSON-ready numbers, never words."""
    figures_of(snapshot)  # a kept row exists from here on
    row = WorkspaceFigures.objects.filter(snapshot=snapshot).first()
    parts = row.data.get("parts", {})
    if key not in parts:
        parts[key] = compute()
        row.data["parts"] = parts
        row.save(update_fields=["data"])
    return parts[key]
