"""A report's file: its name and content type."""

from analytics.models import Report, ReportFormat

CONTENT_TYPES = {
    ReportFormat.PDF: "application/pdf",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ReportFormat.HTML: "text/html; charset=utf-8",
}


def report_file_name(report: Report) -> str:
    return f"surveyhub-{report.period}-{report.pk}.{report.format}"
