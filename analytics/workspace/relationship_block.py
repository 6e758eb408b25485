"""The workspace's churn and lifecycle block (issue #16, "on the evaluation workspace's value
and loyalty dimensions"): of the CLV run behind the snapshot's value dimension, the customers
per lifecycle stage and the high-risk customers with the value at stake. Numbers are kept
with the workspace figures (`relationship_numbers`); the page words them
(`relationship_words`)."""

from __future__ import annotations

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import ngettext

from analytics.models import ChurnBand, ClvRun, CustomerValue, LifecycleStage
from analytics.relationship.queries import stage_counts


def relationship_numbers(run: ClvRun | None) -> dict | None:
    """{"run", "as_of", "horizon_days", "stages": {stage: customers}, "high_risk",
    "value_at_stake"} of `run` (None without a run): two grouped reads."""
    if run is None:
        return None
    risky = CustomerValue.objects.filter(run=run, churn_band=ChurnBand.HIGH).aggregate(
        n=Count("id"), stake=Sum("value_at_stake")
    )
    return {
        "run": run.pk, "as_of": run.as_of.isoformat(), "horizon_days": run.churn_horizon_days,
        "stages": {row["stage"]: row["customers"] for row in stage_counts(run)},
        "high_risk": risky["n"], "value_at_stake": float(risky["stake"] or 0),
    }  # fmt: skip


def relationship_words(numbers: dict | None) -> dict | None:
    """The kept numbers for the page and the API: stages in order with labels and shares."""
    if not numbers:
        return None
    total = sum(numbers["stages"].values())
    stages = [
        {"stage": stage.value, "label": str(stage.label),
         "customers": numbers["stages"].get(stage.value, 0),
         "share": round(100.0 * numbers["stages"].get(stage.value, 0) / total, 1) if total else None}  # noqa: E501
        for stage in LifecycleStage
    ]  # fmt: skip
    return {
        **numbers, "customers": total, "stages": stages,
        "high_risk_text": ngettext(
            "%(n)s customer at high risk of buying nothing in the next %(days)s days",
            "%(n)s customers at high risk of buying nothing in the next %(days)s days",
            numbers["high_risk"],
        ) % {"n": f"{numbers['high_risk']:,}", "days": numbers["horizon_days"]},
        "at_risk_url": reverse("relationship:at-risk"),
        "lifecycle_url": reverse("relationship:lifecycle"),
    }  # fmt: skip
