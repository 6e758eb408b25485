"""Comments submitted while the broker is stopped are stored, then the sweeper gets them
analysed once the broker is back: every comment an item, all analysed, none duplicated.

Uses a private redis-server (never the shared one) and a second worker attached to it.
"""

import os
import subprocess
import sys

import pytest
from django.db import connection

from feedback.analysis.tasks import sweep_unanalysed
from feedback.models import AnalysisStatus, FeedbackAspect, FeedbackItem
from surveyhub.tasking.declare import enqueue
from surveys.models import Answer
from surveys.responding.services import response_submit
from tests.factories import published_survey
from tests.support import (
    ARTIFACTS,
    REPO_ROOT,
    reset_producer_pools,
    stop_process,
    wait_until,
)

pytestmark = [pytest.mark.services, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

COMMENTS = [
    "下单十天了还没收到货，物流信息一直不更新",
    "客服态度很好，问题当天就解决了",
    "东西不错但是价格有点贵",
    "包装破损，里面的杯子碎了一个",
]


@pytest.fixture
def private_worker(private_broker):
    db = connection.settings_dict
    env = {
        **os.environ,
        "CELERY_BROKER_URL": private_broker.url,
        "DATABASE_URL": f"postgres://{db.get('USER') or 'postgres'}@{db.get('HOST') or '127.0.0.1'}"
        f":{db.get('PORT') or 5432}/{db['NAME']}",
        "DJANGO_SETTINGS_MODULE": "surveyhub.settings",
    }
    log = ARTIFACTS / "celery-worker-feedback-sweeper.log"
    log.parent.mkdir(exist_ok=True)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "surveyhub", "worker", "--loglevel=INFO",
             "-Q", "nlp", "--concurrency=1", "--without-gossip", "--without-mingle",
             "-n", f"feedback-sweeper-{os.getpid()}@%h"],
            cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        wait_until(lambda: proc.poll() is not None or "ready." in log.read_text(), timeout=60)
        assert proc.poll() is None, log.read_text()[-3000:]
        yield proc
    finally:
        stop_process(proc)


def test_items_stored_while_the_broker_was_down_are_analysed_after_the_sweep(
    private_broker, private_worker
):
    survey = published_survey()
    private_broker.stop()

    responses = [
        response_submit(survey=survey, data={"nps": 5, "comment": text}, consent_given=True)[0]
        for text in COMMENTS
    ]

    # Every answer is stored. Whatever feedback items exist yet (the announcement of the
    # response may itself wait for the broker) wait too, never handed to a broker.
    items = FeedbackItem.objects.filter(response__in=responses)
    assert Answer.objects.filter(response__in=responses, question_key="comment").count() == 4
    assert set(items.values_list("analysis_status", flat=True)) <= {AnalysisStatus.PENDING}
    assert not items.filter(enqueued_at__isnull=False).exists()

    private_broker.start()
    reset_producer_pools()
    assert enqueue(sweep_unanalysed)  # what beat does every five minutes

    wait_until(lambda: items.filter(analysis_status=AnalysisStatus.DONE).count() == 4, 120)
    assert items.count() == 4
    assert FeedbackItem.objects.count() == 4
    per_item = list(FeedbackAspect.objects.values_list("item_id", "aspect", "clause"))
    assert len(per_item) == len(set(per_item))
    # A second sweep finds nothing left to do.
    from feedback.analysis.services import feedback_sweep_unanalysed

    assert feedback_sweep_unanalysed() == 0
