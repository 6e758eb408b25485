"""Two workers meeting a fresh database at once create the default case rules once.

Seen in bench/feedback_pipeline.py: both pool processes of a new nlp worker found no case
rules, both created them, and the second failed on the SLA policies' unique priority
(IntegrityError), so its batch's cases were not opened.
"""

import threading

import pytest
from django.db import connection, transaction

from feedback.cases.rules import DEFAULT_REASONS, DEFAULT_RULES, DEFAULT_SLAS, ensure_case_defaults
from feedback.models.cases import CaseRule, ResolutionReason, SlaPolicy
from tests.support import require_postgresql, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def waiting_on_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0]


def test_a_second_worker_waits_for_the_first_and_creates_nothing():
    require_postgresql("two transactions at once")
    assert not CaseRule.objects.exists()
    created, commit = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def first_worker():
        try:
            with transaction.atomic():  # the defaults are written, not yet committed
                ensure_case_defaults()
                created.set()
                commit.wait(timeout=30)
        except BaseException as exc:
            errors.append(exc)
            created.set()
        finally:
            connection.close()

    def second_worker():
        try:
            ensure_case_defaults()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    first = threading.Thread(target=first_worker)
    second = threading.Thread(target=second_worker)
    first.start()
    try:
        assert created.wait(timeout=30)
        second.start()
        wait_until(waiting_on_a_lock)  # the second is held until the first commits
    finally:
        commit.set()
        first.join(timeout=30)
        if second.ident is not None:  # started
            second.join(timeout=30)

    assert not errors, errors
    assert CaseRule.objects.count() == len(DEFAULT_RULES)
    assert SlaPolicy.objects.count() == len(DEFAULT_SLAS)
    assert ResolutionReason.objects.count() == len(DEFAULT_REASONS)
