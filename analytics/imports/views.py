"""Staff pages for imports: upload with a progress bar, the job list and each job's result."""

import io
import tempfile

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from analytics.imports.columns import FIELD_LABELS
from analytics.imports.forms import ImportUploadForm
from analytics.imports.jobs import ImportError_, import_job_create
from analytics.imports.report import error_message, report_csv_lines, report_xlsx
from analytics.models import ImportJob
from analytics.purchases.queries import import_jobs
from surveys.privacy.access_log import personal_data_access_record


def error_report_response(job: ImportJob, fmt: str) -> FileResponse | StreamingHttpResponse:
    """The job's error report in the reader's language, as CSV (streamed) or XLSX."""
    stem = f"import-{job.pk}-errors"
    if fmt == "xlsx":
        target = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it
        with job.error_report.open("rb") as stored:
            report_xlsx(io.TextIOWrapper(stored, encoding="utf-8", newline=""), target)
        target.seek(0)
        return FileResponse(target, as_attachment=True, filename=f"{stem}.xlsx")

    def lines():
        with job.error_report.open("rb") as stored:
            yield from report_csv_lines(io.TextIOWrapper(stored, encoding="utf-8", newline=""))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
    return response


@login_required
@permission_required("analytics.view_importjob", raise_exception=True)
def import_upload(request):
    """Managers read the imports (README: they read everything); uploading is the Admin's."""
    may_upload = request.user.has_perm("analytics.add_importjob")
    if request.method == "POST" and not may_upload:
        raise PermissionDenied
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = import_job_create(
                kind=data["kind"],
                upload=data["file"],
                encoding=data["encoding"],
                dry_run=data["dry_run"],
                create_customers=not data["reject_unknown"],
                mapping=data["mapping"],
                by=request.user,
            )
        except ImportError_ as exc:
            form.add_error(exc.field if exc.field in form.fields else "file", exc.message)
        else:
            return redirect("analytics:import-detail", pk=job.pk)
    recent = import_jobs().select_related("created_by")[:20]
    return render(
        request,
        "analytics/imports/upload.html",
        {"form": form if may_upload else None, "jobs": recent},
    )


@login_required
@permission_required("analytics.view_importjob", raise_exception=True)
def import_detail(request, pk: int):
    job = get_object_or_404(ImportJob, pk=pk)
    errors = [
        {**error, "text": error_message(error["message"], error.get("params"))}
        for error in job.errors
    ]
    columns = [
        (header, FIELD_LABELS.get(field, field)) for field, header in (job.columns or {}).items()
    ]
    context = {
        "job": job, "errors": errors, "columns": columns, "stores_added": job.stores_added_text,
    }  # fmt: skip
    return render(request, "analytics/imports/detail.html", context)


@require_GET
@login_required
@permission_required("analytics.view_importjob", raise_exception=True)
def import_progress(request, pk: int):
    """What the progress bar polls."""
    job = get_object_or_404(ImportJob, pk=pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "progress": job.progress,
            "rows_total": job.rows_total,
            "rows_ok": job.rows_ok,
            "rows_failed": job.rows_failed,
            "done": job.status in ("succeeded", "failed"),
        }
    )


@require_GET
@login_required
@permission_required("analytics.view_importjob", raise_exception=True)
def import_error_report(request, pk: int):
    job = get_object_or_404(ImportJob, pk=pk)
    if not job.error_report:
        raise Http404
    # The rejected rows are copied as uploaded: names, emails, phones.
    personal_data_access_record(
        action="export", resource="import_errors", object_id=job.pk, count=job.rows_failed,
        request=request,
    )  # fmt: skip
    return error_report_response(job, request.GET.get("format", "csv"))
