"""On PostgreSQL, two workers running the same batch at once never mail anyone twice."""

import threading

import pytest
from django.db import connection

from surveys.distribution.invitations import distribution_send
from surveys.distribution.mailing import distribution_send_batch
from tests.factories import CustomerFactory
from tests.support import require_postgresql
from tests.surveys.distribution.helpers import email_distribution

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_two_workers_sending_the_same_batch_mail_each_invitation_exactly_once(survey, smtp_server):
    require_postgresql("row locks")
    smtp_server.delay = 0.05
    customers = CustomerFactory.create_batch(12)
    distribution = email_distribution(survey, customers)
    distribution_send(distribution=distribution)
    errors = []

    def worker():
        try:
            distribution_send_batch(distribution=distribution, limit=12)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(c.email for c in customers)
    assert set(distribution.invitations.values_list("status", flat=True)) == {"sent"}
