"""A worker killed with SIGKILL (with its pool processes, as when a machine or container dies)
in the middle of an NLP batch and in the middle of an import: the broker hands the task it
had taken to another worker (Redis: after CELERY_VISIBILITY_TIMEOUT; tasks acknowledge late)
and the work is finished exactly once — nothing lost, nothing duplicated."""

import random
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count

from analytics.imports.jobs import import_job_create
from analytics.models import ImportJob, ImportStatus, Purchase
from feedback.analysis.items import feedback_items_bulk_create
from feedback.analysis.queueing import analysis_send
from feedback.models import AnalysisStatus, FeedbackAspect, FeedbackItem, FeedbackSource
from tests.faults.helpers import analysed_in_logs, sessions_in_transaction, worker_log
from tests.support import kill_process_group, wait_until

pytestmark = [pytest.mark.services, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

VISIBILITY_TIMEOUT = 2  # seconds; production keeps the one-hour default
WORKER_ENV = {"CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT)}
BATCHES = 2
ANALYSING = ("%feedback_feedbackitem%FOR UPDATE SKIP LOCKED%", "%feedback_corpusidf%")
PHRASES = ["物流太慢了", "客服态度很好", "价格有点贵", "包装破损", "质量不错", "退款很麻烦"]


def _long_comment(rng: random.Random, i: int) -> str:
    """A few hundred characters of distinct clauses (so that a stored aspect twice over is a
    duplicate): a 100-item batch takes a second or more to analyse."""
    return f"第{i}条：" + "，".join(f"{rng.choice(PHRASES)}{n}次" for n in range(30))


def _wait_past_visibility_timeout(killed_at: float) -> None:
    time.sleep(max(0.0, killed_at + VISIBILITY_TIMEOUT + 0.2 - time.monotonic()))


def test_a_worker_killed_in_the_middle_of_an_nlp_batch(start_worker):
    rng = random.Random(7)
    comments = [_long_comment(rng, i) for i in range(BATCHES * 100)]
    ids = feedback_items_bulk_create(
        items=[FeedbackItem(text=text, source=FeedbackSource.API) for text in comments],
        enqueue=False,
    )
    items = FeedbackItem.objects.filter(pk__in=ids)
    done = items.filter(analysis_status=AnalysisStatus.DONE)

    with start_worker("nlp-killed", "nlp", env=WORKER_ENV, new_session=True) as first:
        assert analysis_send(item_ids=ids) == BATCHES * 100  # batches of 100
        # The first batch is committed and the second is being analysed: its rows are locked
        # by the worker's open transaction, between its SELECT … FOR UPDATE (and the read of
        # the corpus IDF) and its writes.
        wait_until(
            lambda: done.count() == 100 and sessions_in_transaction(*ANALYSING),
            timeout=60,
            interval=0.02,
        )
        kill_process_group(first)
        killed_at = time.monotonic()

    # The killed batch's transaction died with its connection: nothing of it was stored.
    wait_until(lambda: not sessions_in_transaction(), timeout=10)
    assert done.count() == 100
    assert not items.filter(analysis_status=AnalysisStatus.PENDING, analysed_at__isnull=False)
    _wait_past_visibility_timeout(killed_at)

    with start_worker("nlp-second", "nlp", env=WORKER_ENV):
        wait_until(lambda: done.count() == BATCHES * 100, timeout=60)

    assert items.count() == FeedbackItem.objects.count() == BATCHES * 100
    assert not items.filter(analysed_at__isnull=True).exists()
    per_item = list(FeedbackAspect.objects.values_list("item_id", "aspect", "clause"))
    assert per_item and len(per_item) == len(set(per_item))
    # Stored exactly once each: the first batch by the killed worker, the rest (the killed
    # batch included) by the second one.
    assert analysed_in_logs("nlp-killed") == 100
    assert analysed_in_logs("nlp-second") == (BATCHES - 1) * 100


IMPORT_ROWS = 25_000


def _purchases_csv() -> bytes:
    lines = ["客户编号,订单号,下单时间,实付金额"] + [
        f"C{i % 3000},K{i:06d},2026/2/{i % 28 + 1} 09:{i % 60:02d},{i % 700 + 1}.80"
        for i in range(IMPORT_ROWS)
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_a_worker_killed_in_the_middle_of_an_import(start_worker, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the workers read uploads from there too
    with start_worker("import-killed", "imports", env=WORKER_ENV, new_session=True) as first:
        job = import_job_create(
            kind="purchases", upload=SimpleUploadedFile("orders.csv", _purchases_csv())
        )
        # Some chunks are written, the rest of the file is not.
        wait_until(
            lambda: (
                Purchase.objects.filter(import_job=job).exists()
                and ImportJob.objects.get(pk=job.pk).status == ImportStatus.RUNNING
            ),
            timeout=60,
            interval=0.02,
        )
        kill_process_group(first)
        killed_at = time.monotonic()

    written = Purchase.objects.count()
    assert 0 < written < IMPORT_ROWS
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.RUNNING
    _wait_past_visibility_timeout(killed_at)

    with start_worker("import-second", "imports", env=WORKER_ENV):
        finished = wait_until(
            lambda: (j := ImportJob.objects.get(pk=job.pk)).status != ImportStatus.RUNNING and j,
            timeout=90,
        )

    assert finished.status == ImportStatus.SUCCEEDED, finished.message
    assert (finished.rows_total, finished.rows_ok, finished.rows_failed) == (IMPORT_ROWS,) * 2 + (
        0,
    )
    assert Purchase.objects.count() == IMPORT_ROWS
    assert not Purchase.objects.values("order_id").annotate(n=Count("pk")).filter(n__gt=1)
    assert Purchase.objects.filter(import_job=job).count() == IMPORT_ROWS
    # Finished once, by the second worker.
    finish_line = re.compile(rf"import {job.pk} \(purchases\): {IMPORT_ROWS} rows")
    assert not finish_line.search(worker_log("import-killed"))
    assert len(finish_line.findall(worker_log("import-second"))) == 1
    finished.file.delete(save=False)
