"""A large import ends with VACUUM (ANALYZE) of the tables it wrote, so the dashboard's
index-only plans do not wait for autovacuum (issue #22: the value × satisfaction matrix took
1.3 s on fresh data, 0.09 s after VACUUM ANALYZE). A small one leaves that to autovacuum."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from analytics.imports.jobs import import_job_run, imported_tables_analyze
from analytics.models import ImportJob, ImportStatus, Purchase
from tests.support import require_postgresql


def _job(rows: int) -> ImportJob:
    lines = ["customer_id,order_id,ordered_at,amount"]
    lines += [f"C{i % 7},ANZ-{rows}-{i},2026-03-{1 + i % 28:02d},{10 + i}" for i in range(rows)]
    job = ImportJob(kind="purchases", original_name="big.csv", create_customers=True)
    job.file.save("big.csv", ContentFile("\n".join(lines).encode()), save=False)
    job.save()
    return job


def _stats(table: str):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT now(), last_analyze, last_vacuum FROM pg_stat_user_tables WHERE relname = %s",
            [table],
        )
        return cursor.fetchone()


@pytest.fixture
def small_threshold(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SURVEYHUB_IMPORT_ANALYZE_ROWS = 40


@pytest.mark.django_db(transaction=True)  # as a worker runs it: no transaction around it
def test_an_import_above_the_threshold_vacuums_and_analyzes_what_it_wrote(small_threshold):
    require_postgresql("pg_stat_user_tables")
    started, _analyzed, _vacuumed = _stats("analytics_purchase")

    job = import_job_run(job_id=_job(rows=60).pk)

    assert job.status == ImportStatus.SUCCEEDED and job.rows_ok == 60
    for table in ("analytics_purchase", "surveys_customer"):
        _now, analyzed, vacuumed = _stats(table)
        assert analyzed is not None and analyzed >= started, table
        assert vacuumed is not None and vacuumed >= started, table


@pytest.mark.django_db(transaction=True)
def test_an_import_below_the_threshold_leaves_it_to_autovacuum(small_threshold):
    require_postgresql("pg_stat_user_tables")
    started, before, _vacuumed = _stats("analytics_purchase")

    job = import_job_run(job_id=_job(rows=20).pk)

    assert job.rows_ok == 20 and Purchase.objects.count() == 20
    _now, analyzed, _vacuumed = _stats("analytics_purchase")
    assert analyzed == before  # not analyzed by this import
    assert analyzed is None or analyzed < started


@pytest.mark.django_db
def test_inside_a_transaction_only_analyze_runs():
    """VACUUM cannot run in a transaction block (it would raise here); ANALYZE can."""
    require_postgresql("ANALYZE")

    statements = imported_tables_analyze()

    assert statements == ['ANALYZE "analytics_purchase"', 'ANALYZE "surveys_customer"']


@pytest.mark.django_db
def test_other_databases_run_nothing():
    if connection.vendor == "postgresql":
        assert imported_tables_analyze()[0].startswith("ANALYZE")
    else:
        assert imported_tables_analyze() == []
