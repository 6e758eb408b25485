"""Celery tasks of reports: build a requested report file; the quarterly reports."""

from analytics.reports.services import quarterly_reports_request, report_generate
from surveyhub.tasking.declare import surveyhub_task
from surveyhub.tasking.queues import Queue


@surveyhub_task(name="analytics.generate_report", queue=Queue.DEFAULT, time_limit=15 * 60)
def generate_report(report_id: int) -> str:
    """Build one requested report file (a finished report is left alone)."""
    return report_generate(report_id=report_id).status


@surveyhub_task(name="analytics.quarterly_reports", queue=Queue.DEFAULT, expires=12 * 3600)
def quarterly_reports() -> list[int]:
    """The first days of a quarter: the last quarter's PDF and Excel reports, mailed."""
    return [r.pk for r in quarterly_reports_request()]
