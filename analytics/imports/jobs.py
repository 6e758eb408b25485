"""Analytics write operations: import jobs (create, run)."""

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from analytics.imports.columns import mapping_errors
from analytics.imports.engine import ImportOptions, ImportResult, run_import
from analytics.models import ImportJob, ImportKind, ImportStatus, Purchase
from surveyhub.api.errors import DomainError
from surveyhub.spreadsheets import file_checks, limits
from surveyhub.spreadsheets.limits import RefusedFile
from surveyhub.spreadsheets.reading import UnreadableFile, normalise_encoding
from surveyhub.tasking.declare import TRANSIENT_ERRORS, enqueue, enqueue_on_commit
from surveys.models import Customer

logger = logging.getLogger(__name__)

ALLOWED_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx"}
# On PostgreSQL a run holds a session advisory lock (IMPORT_LOCK_CLASS, job id) until it ends,
# so a "running" job whose lock is free lost its worker (killed: the connection closed) and is
# run again at once. Without such locks (SQLite), a job "running" for longer than STALE_AFTER
# is taken for dead. A pending job older than SWEEP_AFTER was never enqueued (broker down at
# upload time), and neither was a dead running one whose task message was lost.
IMPORT_LOCK_CLASS = 7301
STALE_AFTER = timedelta(hours=1)
SWEEP_AFTER = timedelta(minutes=10)
MSG_INTERNAL_ERROR = _(
    "The import stopped because of an unexpected error; the rows before it were saved. "
    "Importing the file again is safe (known orders are updated, not duplicated)."
)


class ImportError_(DomainError):
    """An import request that cannot be accepted; `field` says which input is wrong.

    `too_large` marks a file over the size limit (HTTP 413 rather than 400).
    """

    def __init__(self, message, *, field: str = "file", too_large: bool = False):
        super().__init__(message, field=field)
        self.too_large = too_large
        if too_large:
            self.status_code = 413


def _check_request(*, kind: str, name: str, size: int, encoding: str, mapping: dict | None) -> None:
    if kind not in ImportKind.values:
        raise ImportError_(_("Choose purchases or customers."), field="kind")
    try:
        limits.check_size(size, limits.limits())
    except RefusedFile as exc:
        raise ImportError_(exc.text, too_large=size > 0) from None
    if Path(name).suffix.lower() not in ALLOWED_SUFFIXES:
        raise ImportError_(_("Upload a CSV or Excel (.xlsx) file."))
    if encoding:
        try:
            normalise_encoding(encoding)
        except UnreadableFile as exc:
            raise ImportError_(exc.text, field="encoding") from None
    if mapping:
        unknown = mapping_errors(mapping, kind=kind)
        if unknown:
            raise ImportError_(
                _("Unknown field(s) in the mapping: %(fields)s.") % {"fields": ", ".join(unknown)},
                field="mapping",
            )


def _check_content(stream: IO[bytes]) -> None:
    """The cheap checks of the file's bytes (type, zip directory), so that an obviously wrong
    or hostile file is refused at once; rows and encodings are checked by the job."""
    try:
        file_checks.sniff(stream, limits.limits())
    except RefusedFile as exc:
        raise ImportError_(exc.text) from None


def import_job_create(
    *,
    kind: str,
    upload: UploadedFile,
    encoding: str = "",
    dry_run: bool = False,
    create_customers: bool = True,
    mapping: dict[str, str] | None = None,
    by=None,
) -> ImportJob:
    """Store an uploaded file as an import job and queue it on the `imports` queue."""
    name = os.path.basename(upload.name or "upload.csv")
    _check_request(kind=kind, name=name, size=upload.size, encoding=encoding, mapping=mapping)
    _check_content(upload)
    with transaction.atomic():
        job = ImportJob(
            kind=kind,
            original_name=name[:255],
            encoding=encoding,
            dry_run=dry_run,
            create_customers=create_customers,
            mapping=mapping or {},
            created_by=by,
        )
        job.file.save(name, upload, save=False)
        try:
            job.full_clean()
        except ValidationError as exc:
            raise ImportError_(next(iter(exc.messages))) from None
        job.save()
        enqueue_on_commit("analytics.run_import", job.pk)
    return job


def import_job_create_for_path(
    *,
    kind: str,
    path: Path,
    encoding: str = "",
    dry_run: bool = False,
    create_customers: bool = True,
    mapping: dict[str, str] | None = None,
) -> ImportJob:
    """A job for a file on this machine (management commands): the file is read in place."""
    if not path.is_file():
        raise ImportError_(_("No such file: %(path)s") % {"path": path})
    _check_request(
        kind=kind, name=path.name, size=path.stat().st_size or 1, encoding=encoding,
        mapping=mapping,
    )  # fmt: skip
    with open(path, "rb") as stream:
        _check_content(stream)
    job = ImportJob(
        kind=kind,
        original_name=path.name[:255],
        encoding=encoding,
        dry_run=dry_run,
        create_customers=create_customers,
        mapping=mapping or {},
    )
    job.full_clean()
    job.save()
    return job


@contextmanager
def _run_lock(job_id: int) -> Iterator[bool | None]:
    """Hold the job's run lock for the block: True when taken, False when a live run holds
    it, None on a database without advisory locks."""
    if connection.vendor != "postgresql":
        yield None
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [IMPORT_LOCK_CLASS, job_id])
        taken = cursor.fetchone()[0]
    try:
        yield taken
    finally:
        if taken:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [IMPORT_LOCK_CLASS, job_id])
            except DatabaseError:  # the connection is gone, and the lock with it
                logger.warning("import %s: could not release its run lock", job_id)


def _runs_alive(job_ids: list[int]) -> set[int]:
    """Which of these jobs a live run holds the lock of (PostgreSQL only)."""
    if connection.vendor != "postgresql" or not job_ids:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT objid FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            " AND classid = %s AND objsubid = 2 AND objid = ANY(%s)",
            [IMPORT_LOCK_CLASS, job_ids],
        )
        return {int(row[0]) for row in cursor.fetchall()}


def import_job_run(*, job_id: int, path: Path | None = None) -> ImportJob:
    """Run an import job to the end. Safe to run twice: a finished job, or one a live worker
    is running, is left alone; a job whose worker died (its run lock is free; without locks,
    running for longer than STALE_AFTER) is run again from the start — re-imported rows
    update, never duplicate."""
    with _run_lock(job_id) as locked:
        if locked is False:
            job = ImportJob.objects.get(pk=job_id)
            logger.info("import %s is being run by another worker; not run again", job.pk)
            return job
        return _run_claimed(job_id, path, dead_if_running=locked is True)


def _run_claimed(job_id: int, path: Path | None, *, dead_if_running: bool) -> ImportJob:
    now = timezone.now()
    claim = {"status": ImportStatus.RUNNING, "started_at": now, "progress": 0.0}
    jobs = ImportJob.objects.filter(pk=job_id)
    claimed = jobs.filter(status=ImportStatus.PENDING).update(**claim)
    if not claimed:
        running = jobs.filter(status=ImportStatus.RUNNING)
        if not dead_if_running:
            running = running.filter(started_at__lt=now - STALE_AFTER)
        claimed = running.update(**claim)
        if claimed:
            logger.warning("import %s: its worker died; running it again", job_id)
            # The rows the dead attempt wrote are not repeats of this attempt's rows.
            Purchase.objects.filter(import_job_id=job_id).update(import_job=None)
    job = ImportJob.objects.get(pk=job_id)
    if not claimed:
        logger.info("import %s is %s; not run again", job.pk, job.status)
        return job
    options = ImportOptions(
        kind=job.kind,
        encoding=job.encoding,
        dry_run=job.dry_run,
        create_customers=job.create_customers,
        mapping=job.mapping,
        job_id=job.pk,
    )

    def on_progress(result: ImportResult, fraction: float) -> None:
        ImportJob.objects.filter(pk=job.pk).update(
            progress=round(min(fraction, 0.99), 4),
            rows_total=result.rows_total,
            rows_ok=result.rows_ok,
            rows_failed=result.rows_failed,
        )

    try:
        with _open_source(job, path) as (stream, size):
            result = run_import(stream, size=size, options=options, on_progress=on_progress)
    except UnreadableFile as exc:
        return _finish_failed(job, exc)
    except TRANSIENT_ERRORS:
        # Database or broker hiccup: hand the job back so the task's retry can claim it.
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.PENDING)
        raise
    except Exception:
        logger.exception("import %s stopped", job.pk)
        return _finish_failed(job, UnreadableFile(MSG_INTERNAL_ERROR))
    _finish(job, result)
    if not job.dry_run and result.rows_ok >= settings.SURVEYHUB_IMPORT_ANALYZE_ROWS:
        imported_tables_analyze()
    logger.info(
        "import %s (%s%s): %s rows, %s ok, %s rejected",
        job.pk, job.kind, ", dry run" if job.dry_run else "", result.rows_total, result.rows_ok,
        result.rows_failed,
    )  # fmt: skip
    return job


def imported_tables_analyze() -> list[str]:
    """After a big import, refresh PostgreSQL's statistics and visibility map of the tables
    imports write, so the dashboard's plans (index-only scans) do not wait for autovacuum.
    VACUUM cannot run in a transaction: inside one (a caller's atomic block) only ANALYZE.
    Returns the statements run; nothing on other databases."""
    if connection.vendor != "postgresql":
        return []
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    statements = [
        f"{command} {connection.ops.quote_name(model._meta.db_table)}"
        for model in (Purchase, Customer)
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    logger.info("after a large import: %s", "; ".join(statements))
    return statements


def import_jobs_sweep() -> int:
    """Enqueue the upload jobs that were never picked up, and those whose worker died and
    whose task message is gone too (e.g. the broker lost it); returns how many."""
    now = timezone.now()
    uploads = ImportJob.objects.exclude(file="").values_list("pk", flat=True)
    stuck = list(uploads.filter(status=ImportStatus.PENDING, created_at__lt=now - SWEEP_AFTER))
    if connection.vendor == "postgresql":
        running = list(
            uploads.filter(status=ImportStatus.RUNNING, started_at__lt=now - SWEEP_AFTER)
        )
        alive = _runs_alive(running)
        stuck += [job_id for job_id in running if job_id not in alive]
    else:
        stuck += uploads.filter(status=ImportStatus.RUNNING, started_at__lt=now - STALE_AFTER)
    count = 0
    for job_id in stuck:
        count += enqueue("analytics.run_import", job_id)
    if count:
        logger.info("re-enqueued %s pending import(s)", count)
    return count


@contextmanager
def _open_source(job: ImportJob, path: Path | None) -> Iterator[tuple[IO[bytes], int]]:
    if path is not None:
        with open(path, "rb") as stream:
            yield stream, path.stat().st_size
        return
    with job.file.open("rb") as stream:
        yield stream, job.file.size


def _finish(job: ImportJob, result: ImportResult) -> None:
    job.status = ImportStatus.SUCCEEDED
    job.finished_at = timezone.now()
    job.progress = 1.0
    job.rows_total = result.rows_total
    job.rows_ok = result.rows_ok
    job.rows_failed = result.rows_failed
    job.rows_created = result.rows_created
    job.rows_updated = result.rows_updated
    job.customers_created = result.customers_created
    job.stores_added = result.stores_added
    job.notes = [{"message": n["message"], "params": n["params"]} for n in result.notes]
    job.detected_encoding = result.encoding
    job.detected_delimiter = result.delimiter
    job.columns = result.columns
    job.errors = result.errors
    job.message = ""
    if result.report_path:
        with open(result.report_path, "rb") as report:
            job.error_report.save(f"import-{job.pk}-errors.csv", File(report), save=False)
        os.unlink(result.report_path)
    job.save()


def _finish_failed(job: ImportJob, error: UnreadableFile) -> ImportJob:
    job.status = ImportStatus.FAILED
    job.finished_at = timezone.now()
    job.message = error.message_id
    job.message_params = error.params
    job.save(update_fields=["status", "finished_at", "message", "message_params"])
    logger.info("import %s refused: %s", job.pk, error.message_id % error.params)
    return job


class PurchaseError(DomainError):
    """A purchase that cannot be stored; `field` says which input is wrong."""


@transaction.atomic
def purchase_create(
    *,
    customer,
    order_id: str,
    ordered_at,
    amount,
    currency: str = "",
    category: str = "",
    channel: str = "",
    quantity: int = 1,
) -> Purchase:
    """Store one purchase; a negative amount is a refund. The order ID must be new."""
    if Purchase.objects.filter(order_id=order_id).exists():
        raise PurchaseError(_("A purchase with this order ID already exists."), field="order_id")
    purchase = Purchase(
        customer=customer,
        order_id=order_id,
        ordered_at=ordered_at,
        amount=amount,
        currency=(currency or settings.DEFAULT_CURRENCY).upper(),
        category=category,
        channel=channel,
        quantity=quantity,
        is_refund=amount < 0,
    )
    try:
        purchase.full_clean()
    except ValidationError as exc:
        name, messages = next(iter(exc.message_dict.items()))
        raise PurchaseError(messages[0], field=None if name == "__all__" else name) from None
    purchase.save()
    return purchase
