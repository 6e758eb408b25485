"""Celery task of reports: build a requested report file in a worker."""

from analytics.reports.services import report_generate
from surveyhub.tasking.declare import surveyhub_task
from surveyhub.tasking.queues import Queue


@surveyhub_task(name="analytics.generate_report", queue=Queue.DEFAULT, time_limit=15 * 60)
def generate_report(report_id: int) -> str:
    """Build one requested report file (a finished report is left alone)."""
    return report_generate(report_id=report_id).status
