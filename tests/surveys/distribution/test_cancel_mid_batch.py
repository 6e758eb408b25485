"""On PostgreSQL, cancelling while a batch is being mailed stops it: the email going out at that
instant finishes, no later one starts, and the rest are marked failed."""

import threading
import time

import pytest
from django.db import connection

from surveys.distribution.building import distribution_queue_build
from surveys.distribution.invitations import distribution_cancel
from surveys.distribution.mailing import distribution_send_batch
from surveys.models import Distribution, DistributionStatus, InvitationStatus
from tests.factories import CustomerFactory
from tests.support import require_postgresql
from tests.surveys.distribution.helpers import email_distribution

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_cancel_in_the_middle_of_a_batch_stops_every_later_email(survey, smtp_server):
    require_postgresql("row locks")
    smtp_server.delay = 0.2  # each email takes a fifth of a second at the server
    customers = [CustomerFactory(name=f"顧客{i}", email=f"guke{i}@example.cn") for i in range(20)]
    distribution = email_distribution(survey, customers)
    distribution_queue_build(distribution=distribution, send=False)  # its task runs at once
    distribution.refresh_from_db()
    assert distribution.status == DistributionStatus.READY
    # Sending, without queueing the batch: this test's thread is the worker.
    Distribution.objects.filter(pk=distribution.pk).update(status=DistributionStatus.SENDING)
    errors = []

    def worker():
        try:
            distribution_send_batch(distribution=distribution, limit=20)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    while len(smtp_server.messages) < 3:
        time.sleep(0.02)
    distribution_cancel(distribution=distribution, reason="发错了，马上停")
    mailed_at_cancel = len(smtp_server.messages)
    thread.join(timeout=60)

    assert errors == []
    # At most the one in flight when the cancel committed.
    assert len(smtp_server.messages) <= mailed_at_cancel + 1
    assert len(smtp_server.messages) < 20
    distribution.refresh_from_db()
    assert distribution.status == DistributionStatus.CANCELLED
    statuses = list(distribution.invitations.values_list("status", flat=True))
    assert statuses.count(InvitationStatus.SENT) == len(smtp_server.messages)
    assert statuses.count(InvitationStatus.FAILED) == 20 - len(smtp_server.messages)
    assert InvitationStatus.PENDING not in statuses
