"""Queueing feedback analysis: items go to the `nlp` workers in batches, after commit; what
the broker refuses stays pending for the sweeper."""

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from feedback.models import (
    AnalysisStatus,
    FeedbackItem,
)
from surveyhub.tasking.declare import enqueue

BATCH_SIZE = 100  # items per analysis task


def _chunks(ids: Sequence[int], size: int = BATCH_SIZE):
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def analysis_send(*, item_ids: Sequence[int], stamped: bool = False) -> int:
    """Send analysis tasks now, in batches; `enqueued_at` ends up set on what the broker took.

    `stamped`: the items were created with `enqueued_at` already set (saves an UPDATE on the
    submit path). Otherwise each batch is stamped just before it is sent, never after: an
    idle worker takes the message at once, and a worker skips rows that are locked (it takes
    them for another worker's), so an UPDATE of the batch racing it left the whole batch
    pending until the sweeper, 30 minutes later. Stops at the first batch the broker refuses
    (it is down); the stamp is cleared from what was not sent, so the next sweep takes it.
    Returns how many were sent.
    """
    ids = list(item_ids)
    sent = 0
    for chunk in _chunks(ids):
        if not stamped:
            FeedbackItem.objects.filter(
                pk__in=chunk, analysis_status=AnalysisStatus.PENDING
            ).update(enqueued_at=timezone.now())
        if not enqueue("feedback.analyse_batch", chunk):
            FeedbackItem.objects.filter(
                pk__in=ids[sent:], analysis_status=AnalysisStatus.PENDING
            ).update(enqueued_at=None)
            break
        sent += len(chunk)
    return sent


def analysis_enqueue_on_commit(*, item_ids: Sequence[int], stamped: bool = False) -> None:
    """Queue analysis of these items once the current transaction commits."""
    if item_ids:
        ids = list(item_ids)
        transaction.on_commit(lambda: analysis_send(item_ids=ids, stamped=stamped))
