"""A real worker on the real broker imports an uploaded file while the test polls progress."""

import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile

from analytics.imports.jobs import import_job_create
from analytics.models import ImportJob, ImportStatus, Purchase
from tests.support import wait_until

pytestmark = [pytest.mark.services, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROWS = 60_000


def test_the_worker_imports_a_big_file_and_reports_progress(celery_worker, settings):
    # The worker process reads the upload from its own MEDIA_ROOT (from the environment).
    settings.MEDIA_ROOT = Path(
        os.environ.get("SURVEYHUB_MEDIA_ROOT", django_settings.BASE_DIR / "media")
    )
    lines = ["客户编号,订单号,下单时间,实付金额"] + [
        f"C{i % 5000},W{i},2026/1/{i % 28 + 1} 10:{i % 60:02d},￥{i % 900 + 1}.50"
        for i in range(ROWS)
    ]
    content = ("\n".join(lines) + "\n").encode("gbk")

    job = import_job_create(
        kind="purchases", upload=SimpleUploadedFile("big.csv", content), encoding=""
    )
    seen = set()

    def finished():
        current = ImportJob.objects.get(pk=job.pk)
        seen.add(current.progress)
        return current if current.status in (ImportStatus.SUCCEEDED, ImportStatus.FAILED) else None

    try:
        done = wait_until(finished, timeout=120, interval=0.05)

        assert done.status == ImportStatus.SUCCEEDED, done.message
        assert (done.rows_total, done.rows_ok, done.progress) == (ROWS, ROWS, 1.0)
        assert any(0 < value < 1 for value in seen), sorted(seen)
        assert Purchase.objects.count() == ROWS
    finally:
        done_job = ImportJob.objects.get(pk=job.pk)
        done_job.file.delete(save=False)
        if done_job.error_report:
            done_job.error_report.delete(save=False)
