"""Period reports: requested from the workspace, the API or the quarterly schedule; built by a
worker as PDF (WeasyPrint, from the printable HTML) or Excel in the requester's language; kept
for download with a log of who downloaded them; emailed to the Managers when asked.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from analytics.evaluations.periods import (
    Period,
    PeriodError,
    local_midnight,
    local_today,
    period_containing,
    period_parse,
)
from analytics.models import (
    EvaluationSnapshot,
    Purchase,
    Report,
    ReportDownload,
    ReportFormat,
    ReportStatus,
)
from analytics.reports.content import report_data
from analytics.reports.delivery import report_email
from analytics.reports.files import report_file_name
from analytics.reports.printable import report_html, report_pdf
from analytics.reports.workbook import report_workbook
from analytics.workspace import words
from surveyhub.api.errors import DomainError
from surveyhub.tasking.declare import enqueue_on_commit
from surveys.models import Response, ResponseStatus

logger = logging.getLogger(__name__)


class ReportError(DomainError):
    """A report that cannot be requested; `field` (the period, by default) is at fault."""

    field = "period"


def _has_data(period: Period) -> bool:
    start, end = local_midnight(period.start), local_midnight(period.end_exclusive)
    return (
        EvaluationSnapshot.objects.filter(period=period.code).exists()
        or Response.objects.filter(
            status=ResponseStatus.COMPLETED, completed_at__gte=start, completed_at__lt=end
        ).exists()
        or Purchase.objects.filter(ordered_at__gte=start, ordered_at__lt=end).exists()
    )


def report_period(code: str) -> Period:
    """The period of a report request, or a ReportError saying what is wrong with it."""
    try:
        period = period_parse(code)
    except PeriodError as exc:
        raise ReportError(
            _("“%(code)s” is not a period: %(why)s") % {"code": str(code)[:20], "why": exc.message}
        ) from None
    if period.start > local_today():
        raise ReportError(
            _("%(period)s has not begun yet: there is nothing to report.")
            % {"period": words.period_label(period.code)}
        )
    if not _has_data(period):
        raise ReportError(
            _("%(period)s has no answers and no orders: there is nothing to report.")
            % {"period": words.period_label(period.code)}
        )
    return period


def report_request(
    *,
    period: str,
    format: str = ReportFormat.XLSX,
    by=None,
    language: str | None = None,
    email_managers: bool = False,
    scheduled: bool = False,
) -> Report:
    """Record a report request and have a worker build it once the transaction commits."""
    if format not in ReportFormat.values:
        raise ReportError(
            _("Expected one of: %(choices)s.") % {"choices": ", ".join(ReportFormat.values)},
            field="format",
        )
    code = report_period(period).code
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with transaction.atomic():
        report = Report.objects.create(
            period=code, format=format, created_by=by, language=language[:10],
            email_managers=email_managers, scheduled=scheduled,
        )  # fmt: skip
        enqueue_on_commit("analytics.generate_report", report.pk)
    return report


def report_content(report: Report) -> bytes:
    """The file of a report, built in the report's language."""
    with translation.override(report.language or settings.LANGUAGE_CODE):
        data = report_data(period=period_parse(report.period))
        if report.format == ReportFormat.PDF:
            return report_pdf(data)
        if report.format == ReportFormat.XLSX:
            return report_workbook(data)
        return report_html(data).encode("utf-8")


def report_generate(*, report_id: int) -> Report:
    """Build the file of a pending report (idempotent: a finished report is left alone), then
    mail it to the Managers when that was asked for."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        if report.status == ReportStatus.SUCCEEDED:
            return report
        report.status = ReportStatus.RUNNING
        report.save(update_fields=["status"])
    try:
        content = report_content(report)
    except Exception as exc:
        logger.exception("report %s failed", report_id)
        report.status, report.error = ReportStatus.FAILED, str(exc)[:500]
        report.finished_at = timezone.now()
        report.save(update_fields=["status", "error", "finished_at"])
        raise
    report.file.save(report_file_name(report), ContentFile(content), save=False)
    report.status, report.error, report.finished_at = ReportStatus.SUCCEEDED, "", timezone.now()
    report.save(update_fields=["file", "status", "error", "finished_at"])
    if report.email_managers and not report.emailed_to:
        report.emailed_to = report_email(report, content)
        report.save(update_fields=["emailed_to"])
    return report


def report_downloaded(report: Report, *, user, via: str) -> None:
    """Log one download of a report's file."""
    ReportDownload.objects.create(
        report=report, user=user if getattr(user, "is_authenticated", False) else None, via=via
    )


def quarterly_reports_request(*, today=None) -> list[Report]:
    """The quarterly schedule: on the first days of a quarter, the PDF and the Excel report of
    the quarter that just ended, emailed to the Managers; once per quarter and format."""
    today = today or local_today()
    quarter = period_containing(today).previous()
    made = []
    for format in (ReportFormat.PDF, ReportFormat.XLSX):
        if Report.objects.filter(period=quarter.code, format=format, scheduled=True).exists():
            continue
        try:
            made.append(
                report_request(
                    period=quarter.code, format=format, language=settings.LANGUAGE_CODE,
                    email_managers=True, scheduled=True,
                )
            )  # fmt: skip
        except ReportError as exc:
            logger.info("no quarterly report of %s: %s", quarter.code, exc.message)
    return made
