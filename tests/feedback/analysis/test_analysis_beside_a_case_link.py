"""An item that a case is being linked to at that very moment is still analysed by the batch.

Linking a case to an item inserts a row that references the item, and PostgreSQL takes a
KEY SHARE lock on the item for it. The batch locks its items to write the results; a plain
FOR UPDATE conflicts with KEY SHARE, so with SKIP LOCKED the item was silently skipped and
stayed pending until the sweeper, 30 minutes later (seen in bench/load.py). The batch's lock
must leave keys alone (FOR NO KEY UPDATE), which coexists with the case's link.
"""

import threading

import pytest
from django.db import connections

from feedback.analysis.services import feedback_analyse_batch
from feedback.models import AnalysisStatus, FeedbackItem
from tests.factories import FeedbackItemFactory
from tests.support import require_postgresql

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_an_item_held_by_a_key_share_lock_is_analysed_not_skipped():
    require_postgresql("the row locks of the analysis batch")
    item = FeedbackItemFactory(text="快递员态度很差，东西还摔坏了")
    locked, release, done = threading.Event(), threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def link_a_case_to_the_item():
        # What the case rules' INSERT into the case ↔ item table does to the item row.
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("BEGIN")
                cursor.execute(
                    "SELECT 1 FROM feedback_feedbackitem WHERE id = %s FOR KEY SHARE",
                    [item.pk],
                )
                locked.set()
                release.wait(timeout=30)
                cursor.execute("COMMIT")
        except BaseException as exc:  # reported in the test thread below
            errors.append(exc)
            locked.set()
        finally:
            other.close()
            done.set()

    thread = threading.Thread(target=link_a_case_to_the_item)
    thread.start()
    try:
        assert locked.wait(timeout=30)
        outcome = feedback_analyse_batch(item_ids=[item.pk])
    finally:
        release.set()
        thread.join(timeout=30)
    assert not errors, errors
    assert done.is_set()

    item.refresh_from_db()
    assert outcome.analysed_ids == [item.pk]
    assert item.analysis_status == AnalysisStatus.DONE
    assert item.sentiment_label == "negative"
    assert FeedbackItem._meta.db_table == "feedback_feedbackitem"  # the table locked above
