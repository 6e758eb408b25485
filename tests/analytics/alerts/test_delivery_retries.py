"""A robot answering an error is retried with backoff and, after the last attempt, shown as
failed (on the history page and the home page) — never lost silently; a re-send after the
robot was fixed delivers it. An SMTP refusal is retried the same way."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from analytics.alerts.services import (
    BACKOFF_MINUTES,
    MAX_ATTEMPTS,
    alerts_evaluate,
    deliveries_send_due,
)
from analytics.models import AlertDelivery
from surveyhub.security.roles import Role
from tests.analytics.alerts.conftest import TODAY, make_rule
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_failing_robot_is_retried_with_backoff_then_shown_failed(
    nps_dropped, robots, robot_server
):
    wecom = robots[0]
    make_rule(robots=[wecom], email_managers=False)
    robot_server.failures["wecom"] = [
        (200, {"errcode": 93000, "errmsg": "invalid webhook url"})
    ] * 10
    alerts_evaluate(today=TODAY)
    now = timezone.now()
    deliveries_send_due(now=now)
    delivery = AlertDelivery.objects.get()
    assert delivery.status == "retrying" and delivery.attempts == 1
    assert delivery.next_attempt_at == now + dt.timedelta(minutes=BACKOFF_MINUTES[0])
    assert "93000" in delivery.last_error and "invalid webhook url" in delivery.last_error

    assert deliveries_send_due(now=now + dt.timedelta(seconds=30)) == 0  # not yet due
    assert AlertDelivery.objects.get().attempts == 1
    for attempt in range(2, MAX_ATTEMPTS + 1):
        now = AlertDelivery.objects.get().next_attempt_at
        deliveries_send_due(now=now)
        assert AlertDelivery.objects.get().attempts == attempt
    delivery = AlertDelivery.objects.get()
    assert delivery.status == "failed" and delivery.next_attempt_at is None
    assert len(robot_server.to("wecom")) == MAX_ATTEMPTS
    assert deliveries_send_due(now=now + dt.timedelta(days=1)) == 0  # no endless retries

    client = Client()
    client.force_login(UserFactory(role=Role.MANAGER))
    history = client.get("/staff/alerts/history/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Failed" in history and "error 93000" in history
    home = client.get("/staff/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Alert deliveries that failed" in home

    robot_server.failures.clear()
    response = client.post(f"/staff/alerts/deliveries/{delivery.pk}/redrive/")
    assert response.status_code == 302
    assert AlertDelivery.objects.get().status == "sent"


def test_an_http_error_and_an_unreachable_robot_read_clearly(nps_dropped, robots, robot_server):
    make_rule(robots=robots[:2], email_managers=False)
    robot_server.failures["wecom"] = [(502, {"error": "bad gateway"})]
    robots[1].url = "http://127.0.0.1:9/robot/send?access_token=x"  # nothing listens there
    robots[1].save()
    alerts_evaluate(today=TODAY)
    deliveries_send_due()
    errors = dict(AlertDelivery.objects.values_list("robot__kind", "last_error"))
    assert errors["wecom"].startswith("The robot's address answered HTTP 502.")
    assert errors["dingtalk"].startswith("The robot's address could not be reached.")


def test_a_wrong_signing_secret_is_refused_by_the_robot_and_said_so(
    nps_dropped, robots, robot_server
):
    feishu = robots[2]
    feishu.secret = "不是这个密钥"
    feishu.save()
    make_rule(robots=[feishu], email_managers=False)
    alerts_evaluate(today=TODAY)
    deliveries_send_due()
    (received,) = robot_server.to("feishu")
    assert received.signature_ok is False
    delivery = AlertDelivery.objects.get()
    assert delivery.status == "retrying" and "19021" in delivery.last_error


def test_an_smtp_refusal_is_retried(nps_dropped, smtp, manager):
    smtp.busy["wang.manager@example.cn"] = 1
    make_rule()
    alerts_evaluate(today=TODAY)
    deliveries_send_due()
    delivery = AlertDelivery.objects.get()
    assert delivery.status == "retrying" and "mail server" in delivery.last_error
    deliveries_send_due(now=delivery.next_attempt_at)
    assert AlertDelivery.objects.get().status == "sent"
    assert [m["To"] for m in smtp.messages] == ["wang.manager@example.cn"]
