"""The workspace's figures of one snapshot that read the period's rows (sample sizes, the
headline, the same-days comparison of a running period, the cases): numbers only, computed
once a day per snapshot and kept in `WorkspaceFigures`, so a page view reads one row.

A page never computes them (at a million rows that takes minutes): when they are missing or
stale it asks a worker once (`figures_request`, a lock in the cache) and says "计算中…"
(or shows yesterday's with a note) until they are there (`figures_state`, `part_state`).

Numbers, never words: the page and the report word them in the reader's language."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q, StdDev
from django.utils import timezone

from analytics.evaluations.periods import Period, local_midnight, local_today, period_parse
from analytics.metric_queries.filters import MetricFilters, completed_responses, latest_clv_run
from analytics.metric_queries.satisfaction_value import behaviour_by_nps_group, value_at_risk
from analytics.metric_queries.survey_metrics import metric_summary
from analytics.models import CustomerValue, EvaluationSnapshot, Purchase, WorkspaceFigures
from analytics.referrals.queries import referral_numbers
from analytics.workspace.cases import case_numbers
from analytics.workspace.holdout import holdout_numbers
from analytics.workspace.relationship_block import relationship_numbers
from analytics.workspace.same_days import same_days_numbers
from feedback.models.cases import Case
from surveyhub.tasking.declare import enqueue, tasks_run_in_process

logger = logging.getLogger(__name__)

KEPT_FOR = dt.timedelta(days=1)
# The worker's lock on one snapshot's figures: held while it computes them, so a page opened
# again and again asks once; it expires with the task's time limit if a worker dies.
LOCK_SECONDS = 30 * 60
COMPUTE_TASK = "analytics.compute_workspace_figures"


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


def spread_numbers(period: Period, snapshot: EvaluationSnapshot) -> dict[str, float | None]:
    """The sample standard deviations behind the intervals of the means: CES answers of the
    period and the CLV of the snapshot's run's customers."""
    ces = _sample_sd(completed_responses(MetricFilters(start=period.start, end=period.end)),
                     "ces_score")  # fmt: skip
    clv = None
    if snapshot.clv_run_id:
        clv = _sample_sd(CustomerValue.objects.filter(run_id=snapshot.clv_run_id), "clv")
    return {"ces_sd": _float(ces), "clv_sd": _float(clv)}


def _sample_sd(queryset, field: str):
    """The sample standard deviation of a column's values, None under two — as PostgreSQL's
    stddev_samp answers. SQLite's (Python's statistics.stdev, fed every row) raises on NULLs
    and on fewer than two values, so both are left out first."""
    values = queryset.filter(**{f"{field}__isnull": False})
    if connection.vendor != "postgresql" and values.aggregate(n=Count(field))["n"] < 2:
        return None
    return values.aggregate(sd=StdDev(field, sample=True))["sd"]


def _float(value) -> float | None:
    return None if value is None else float(value)


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


def previous_numbers(period: Period) -> dict | None:
    """The previous period's sample sizes and spreads, with the id of its latest snapshot
    (they belong to it), for the significance of the index's change; None if not evaluated."""
    before = period.previous()
    latest = (
        EvaluationSnapshot.objects.filter(period=before.code)
        .select_related("clv_run")
        .order_by("-version")
        .first()
    )
    if latest is None:
        return None
    return {
        "snapshot": latest.pk,
        "samples": sample_numbers(before, latest),
        "spread": spread_numbers(before, latest),
    }


def figures_compute(snapshot: EvaluationSnapshot) -> dict:
    period = period_parse(snapshot.period)
    covered, total = coverage(period, snapshot)
    return {
        "samples": sample_numbers(period, snapshot),
        "spread": spread_numbers(period, snapshot),
        "previous": previous_numbers(period),
        "holdout": holdout_numbers(snapshot),
        "headline": headline_numbers(period),
        "cases": case_numbers(period),
        "referrals": referral_numbers(start=period.start, end=period.end),
        "relationship": relationship_numbers(snapshot.clv_run),
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


def _fresh(computed_on: dt.date | None) -> bool:
    return computed_on is not None and computed_on >= local_today() - KEPT_FOR


def _kept(snapshot: EvaluationSnapshot) -> tuple[dict | None, dt.date | None]:
    row = WorkspaceFigures.objects.filter(snapshot=snapshot).values("data", "computed_on").first()
    return (row["data"], row["computed_on"]) if row else (None, None)


def _lock_key(snapshot: EvaluationSnapshot) -> str:
    return f"workspace-figures:{snapshot.pk}:{snapshot.computed_at.timestamp():.0f}"


def figures_request(snapshot: EvaluationSnapshot) -> bool:
    """Ask a worker to compute the snapshot's figures and drill-downs — once: True when this
    call sent the task, False while another request's task holds the lock. Without a broker
    (the embedded default) the task runs here, on the small data such installs hold."""
    try:
        if not cache.add(_lock_key(snapshot), timezone.now().isoformat(), LOCK_SECONDS):
            return False
    except Exception:  # a cache that is down must not fail the page: the nightly run fills in
        logger.warning("workspace figures lock unavailable", exc_info=True)
        return False
    logger.info("workspace figures of snapshot %s requested", snapshot.pk)
    if not enqueue(COMPUTE_TASK, snapshot.pk):
        cache.delete(_lock_key(snapshot))  # broker down: the next page view asks again
    return True


def figures_state(snapshot: EvaluationSnapshot) -> tuple[dict | None, dict]:
    """(figures or None, state) for a page: today's or yesterday's figures are "ready";
    older ones are shown "stale" while a worker refreshes them; none at all → "computing".
    State: {"status", "computed_on"}. Reads one row; never computes in the request."""
    data, computed_on = _kept(snapshot)
    if _fresh(computed_on):
        return data, _state("ready", computed_on)
    if figures_request(snapshot) and tasks_run_in_process():
        data_now, on_now = _kept(snapshot)  # without a broker the task ran here: done now
        if _fresh(on_now):
            return data_now, _state("ready", on_now)
    return data, _state("stale" if data is not None else "computing", computed_on)


def part_state(snapshot: EvaluationSnapshot, key: str) -> tuple[object | None, dict]:
    """One kept part (an indicator's drill-down) for a page, as `figures_state` does."""
    data, state = figures_state(snapshot)
    parts = (data or {}).get("parts", {})
    if key in parts:
        return parts[key], state
    if state["status"] == "ready":  # the figures are there, the worker is still on its parts
        figures_request(snapshot)
        data, state = figures_state(snapshot)
        if key in (data or {}).get("parts", {}):
            return data["parts"][key], state
    return None, _state("computing", state["computed_on"])


def _state(status: str, computed_on: dt.date | None) -> dict:
    return {"status": status, "computed_on": computed_on.isoformat() if computed_on else None}


def figures_release(snapshot: EvaluationSnapshot) -> None:
    """The worker is done (or gave up): the next page view may ask again."""
    cache.delete(_lock_key(snapshot))
