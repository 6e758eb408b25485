import contextlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone

from analytics.imports.jobs import IMPORT_LOCK_CLASS, import_job_run, import_jobs_sweep
from analytics.models import ImportJob, ImportStatus, Purchase
from tests.factories import PurchaseFactory
from tests.support import database_url_for, require_postgresql

pytestmark = pytest.mark.django_db

FILE = b"customer_id,order_id,ordered_at,amount\nC1,O1,2026-01-05,10\n"


def make_job(**fields) -> ImportJob:
    job = ImportJob(kind="purchases", original_name="o.csv", **fields)
    job.file.save("o.csv", ContentFile(FILE), save=False)
    job.save()
    return job


def test_running_a_finished_job_again_changes_nothing():
    job = make_job()
    import_job_run(job_id=job.pk)
    Purchase.objects.all().delete()

    again = import_job_run(job_id=job.pk)

    assert again.status == ImportStatus.SUCCEEDED
    assert not Purchase.objects.exists()


@contextlib.contextmanager
def another_worker_running(job: ImportJob):
    """What a live run elsewhere holds on PostgreSQL: the job's run lock, in its own session."""
    if connection.vendor != "postgresql":
        yield
        return
    import psycopg

    with psycopg.connect(database_url_for(connection.settings_dict), autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s, %s)", (IMPORT_LOCK_CLASS, job.pk))
        yield


def test_a_job_running_in_another_worker_is_not_started_twice():
    job = make_job(status=ImportStatus.RUNNING, started_at=timezone.now() - timedelta(minutes=20))

    with another_worker_running(job):
        assert import_job_run(job_id=job.pk).status == ImportStatus.RUNNING
        assert import_jobs_sweep() == 0
    assert not Purchase.objects.exists()


def test_a_running_job_whose_worker_died_is_run_again_at_once_on_postgresql():
    require_postgresql("run locks are PostgreSQL advisory locks")
    # Its worker was killed a minute ago: the lock went with its connection.
    job = make_job(status=ImportStatus.RUNNING, started_at=timezone.now() - timedelta(minutes=1))
    PurchaseFactory(order_id="O1", import_job=job, amount="1.00")

    done = import_job_run(job_id=job.pk)

    assert done.status == ImportStatus.SUCCEEDED
    assert (done.rows_ok, done.rows_failed) == (1, 0)
    assert Purchase.objects.get().amount == Decimal("10.00")


def test_the_sweeper_enqueues_a_dead_running_job_whose_task_was_lost():
    started = timezone.now() - (timedelta(minutes=20) if connection.vendor == "postgresql"
                                else timedelta(hours=2))  # fmt: skip
    job = make_job(status=ImportStatus.RUNNING, started_at=started)

    assert import_jobs_sweep() == 1
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.SUCCEEDED


def test_a_job_whose_worker_died_is_run_again_and_rewrites_its_rows():
    job = make_job(status=ImportStatus.RUNNING, started_at=timezone.now() - timedelta(hours=2))
    # What the dead attempt had written already.
    PurchaseFactory(order_id="O1", import_job=job, amount="1.00")

    done = import_job_run(job_id=job.pk)

    assert done.status == ImportStatus.SUCCEEDED
    assert (done.rows_ok, done.rows_failed) == (1, 0)
    assert str(Purchase.objects.get(order_id="O1").amount) == "10.00"


def test_the_sweeper_enqueues_old_pending_uploads_only():
    old = make_job()
    ImportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=1))
    make_job()  # just uploaded: its own task is on the way

    assert import_jobs_sweep() == 1
    assert ImportJob.objects.get(pk=old.pk).status == ImportStatus.SUCCEEDED


def test_an_unexpected_error_fails_the_job_with_a_message(monkeypatch):
    from django.utils import translation

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("analytics.imports.jobs.run_import", explode)
    job = make_job()

    done = import_job_run(job_id=job.pk)

    assert done.status == ImportStatus.FAILED
    with translation.override("en"):
        assert done.message_text.startswith("The import stopped because of an unexpected error")


def test_a_transient_database_error_hands_the_job_back_for_the_retry(monkeypatch):
    from django.db import OperationalError

    def flaky(*args, **kwargs):
        raise OperationalError("connection reset")

    monkeypatch.setattr("analytics.imports.jobs.run_import", flaky)
    job = make_job()

    with pytest.raises(OperationalError):
        import_job_run(job_id=job.pk)

    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.PENDING
