"""Thin Celery wrappers of the evaluation services (imported by analytics/tasks.py so that
autodiscovery registers them). Every one is safe to run twice."""

import logging

from surveyhub.queues import Queue
from surveyhub.tasking import surveyhub_task

logger = logging.getLogger(__name__)


@surveyhub_task(name="analytics.fit_clv", queue=Queue.DEFAULT, time_limit=30 * 60, expires=6 * 3600)
def fit_clv() -> int | None:
    """Nightly: fit the CLV models as of today (once a day; a rerun reuses the day's run),
    then drop the per-customer rows of old runs nothing refers to."""
    from analytics.evaluations import EvaluationError, clv_fit_daily, clv_values_prune
    from analytics.periods import local_today

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
    """Nightly: snapshot this quarter, last quarter (late data) and this month."""
    from analytics.evaluations import evaluation_compute_current

    return [f"{s.period} v{s.version}" for s in evaluation_compute_current()]


@surveyhub_task(name="analytics.post_purchase_invitations", queue=Queue.DEFAULT, expires=12 * 3600)
def post_purchase_invitations() -> int:
    """Daily: invite the customers whose order is N days old, rule by rule (once per day)."""
    from analytics.evaluations import post_purchase_invitations_run
    from analytics.periods import local_today

    return len(post_purchase_invitations_run(today=local_today()))


@surveyhub_task(name="analytics.send_weekly_digest", queue=Queue.EMAIL, expires=12 * 3600)
def send_weekly_digest() -> int:
    """Weekly: last week's digest to the Managers (once per week)."""
    from analytics.digests import weekly_digest_send
    from analytics.periods import local_today

    return weekly_digest_send(today=local_today())


@surveyhub_task(name="analytics.generate_report", queue=Queue.DEFAULT, time_limit=15 * 60)
def generate_report(report_id: int) -> str:
    """Build one requested report file (a finished report is left alone)."""
    from analytics.reports import report_generate

    return report_generate(report_id=report_id).status
