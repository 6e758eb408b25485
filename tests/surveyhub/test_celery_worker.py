"""A real worker process on the real broker runs tasks end to end."""

import pytest
from django.db import transaction

from surveyhub.models import WorkerHeartbeat
from surveyhub.tasking.declare import enqueue_on_commit
from surveyhub.tasks import record_heartbeat
from tests.support import wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_task_enqueued_on_commit_runs_in_the_worker_and_writes_to_the_database(celery_worker):
    with transaction.atomic():
        enqueue_on_commit(record_heartbeat, "committed-worker")

    row = wait_until(lambda: WorkerHeartbeat.objects.filter(worker="committed-worker").first())
    assert row.seen_at is not None


def test_a_task_enqueued_in_a_rolled_back_transaction_never_runs(celery_worker):
    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        enqueue_on_commit(record_heartbeat, "rolled-back")
        raise Rollback

    # The worker runs one task at a time, in order: once this one is done, the other
    # would have run too if it had ever been sent.
    with transaction.atomic():
        enqueue_on_commit(record_heartbeat, "marker-after-rollback")
    wait_until(lambda: WorkerHeartbeat.objects.filter(worker="marker-after-rollback").exists())
    assert not WorkerHeartbeat.objects.filter(worker="rolled-back").exists()
