"""Celery task of the dashboard: the weekly digest email."""

from analytics.dashboard.digests import weekly_digest_send
from analytics.evaluations.periods import local_today
from surveyhub.tasking.declare import surveyhub_task
from surveyhub.tasking.queues import Queue


@surveyhub_task(name="analytics.send_weekly_digest", queue=Queue.EMAIL, expires=12 * 3600)
def send_weekly_digest() -> int:
    """Weekly: last week's digest to the Managers (once per week)."""
    return weekly_digest_send(today=local_today())
