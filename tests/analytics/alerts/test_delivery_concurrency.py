"""Two workers sending due deliveries at the same moment never send one twice: each row is
locked (SKIP LOCKED) while its robot is called. PostgreSQL, as in production."""

import threading

import pytest
from django.db import connection

from analytics.alerts.services import alerts_evaluate, deliveries_send_due
from analytics.models import AlertDelivery
from tests.analytics.alerts.conftest import TODAY, make_rule
from tests.support import require_postgresql

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_two_workers_send_each_delivery_once(nps_dropped, robots, robot_server):
    require_postgresql("row locks (SQLite serialises writers instead)")
    make_rule(robots=robots, email_managers=False)
    alerts_evaluate(today=TODAY)
    robot_server.delay = 0.5
    sent = []

    def worker():
        try:
            sent.append(deliveries_send_due())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(sent) == 3
    assert sorted(r.robot for r in robot_server.received) == ["dingtalk", "feishu", "wecom"]
    assert set(AlertDelivery.objects.values_list("status", flat=True)) == {"sent"}
