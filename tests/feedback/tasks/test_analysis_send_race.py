"""Items sent for analysis are analysed by the worker that takes the message, never left for
the sweeper because the sender was still writing to them.

A worker locks its batch's rows with ``SELECT … FOR UPDATE SKIP LOCKED`` and skips rows that
are locked, taking them for another worker's. The sender used to stamp ``enqueued_at`` on a
batch *after* publishing it; an idle worker took the message at once, found the rows locked
by that UPDATE and skipped them all. In a 100,000-item run of ``bench/feedback_pipeline.py``
the first 2,477 items stayed pending: the sweeper would have sent them again only after 30
minutes. Imports, re-analysis after a model change and the sweeper itself send this way.
The race needs a loaded machine to show (one of two bench runs), so the test checks the
order that rules it out.
"""

import pytest
from celery.signals import before_task_publish

from feedback.analysis.queueing import analysis_send
from feedback.models import FeedbackItem
from tests.factories import FeedbackItemFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_each_batch_is_stamped_before_it_is_published():
    """Checked at the moment the real broker is handed the message: the batch's stamp is
    already committed, so nothing of the sender's is left to lock the rows afterwards."""
    ids = [FeedbackItemFactory(text=f"第{n}次买，物流很快😊").pk for n in range(250)]
    unstamped_at_publish: list[int] = []

    def check(sender=None, body=None, **_kwargs):
        if sender == "feedback.analyse_batch":
            (batch,) = body[0]
            unstamped_at_publish.extend(
                FeedbackItem.objects.filter(pk__in=batch, enqueued_at__isnull=True).values_list(
                    "pk", flat=True
                )
            )

    before_task_publish.connect(check, weak=False)
    try:
        assert analysis_send(item_ids=ids) == 250
    finally:
        before_task_publish.disconnect(check)

    assert unstamped_at_publish == []
    assert not FeedbackItem.objects.filter(pk__in=ids, enqueued_at__isnull=True).exists()
