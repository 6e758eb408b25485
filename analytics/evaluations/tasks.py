"""Thin Celery wrappers of the evaluation services. Every one is safe to run twice."""

import logging

from analytics.evaluations.clv_runs import clv_fit_daily, clv_values_prune
from analytics.evaluations.errors import EvaluationError
from analytics.evaluations.periods import local_today
from analytics.evaluations.post_purchase import post_purchase_invitations_run
from analytics.evaluations.scorecard import evaluation_compute_current
from analytics.models import EvaluationSnapshot
from analytics.workspace.figures import figures_release
from analytics.workspace.nightly import figures_fill, figures_warm
from surveyhub.tasking.declare import surveyhub_task
from surveyhub.tasking.queues import Queue

logger = logging.getLogger(__name__)


@surveyhub_task(name="analytics.fit_clv", queue=Queue.DEFAULT, time_limit=30 * 60, expires=6 * 3600)
def fit_clv() -> int | None:
    """Nightly: fit the CLV models as of today (once a day; a rerun reuses the day's run),
    then drop the per-customer rows of old runs nothing refers to."""
    today = local_today()
    try:
        run = clv_fit_daily(as_of=today)
    except EvaluationError as exc:
        logger.info("CLV not fitted: %s", exc.message)
        return None
    clv_values_prune(today=today)
    return run.pk


@surveyhub_task(
    name="analytics.compute_evaluations", queue=Queue.DEFAULT, time_limit=30 * 60,
    expires=6 * 3600,
)  # fmt: skip
def compute_evaluations() -> list[str]:
    """Nightly: snapshot this quarter, last quarter (late data) and this month, then the
    evaluation workspace's figures and drill-downs of each (read by its pages)."""
    snapshots = evaluation_compute_current()
    figures_warm(snapshots)
    return [f"{s.period} v{s.version}" for s in snapshots]


@surveyhub_task(
    name="analytics.compute_workspace_figures", queue=Queue.DEFAULT, time_limit=30 * 60,
    expires=3600,
)  # fmt: skip
def compute_workspace_figures(snapshot_id: int) -> bool:
    """A workspace page found a snapshot's figures missing or stale: compute them and its
    drill-downs, then let the next page view ask again (the lock of `figures_request`)."""
    snapshot = EvaluationSnapshot.objects.select_related("clv_run").filter(pk=snapshot_id).first()
    if snapshot is None:  # a newer evaluation replaced it meanwhile
        return False
    try:
        return figures_fill(snapshot)
    finally:
        figures_release(snapshot)


@surveyhub_task(name="analytics.post_purchase_invitations", queue=Queue.DEFAULT, expires=12 * 3600)
def post_purchase_invitations() -> int:
    """Daily: invite the customers whose order is N days old, rule by rule (once per day)."""
    return len(post_purchase_invitations_run(today=local_today()))
