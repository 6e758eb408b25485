"""Admins set rules and robots on the staff pages; impossible thresholds and a robot answering
an error get a clear message and nothing is saved; managers read but do not edit rules."""

import pytest
from django.test import Client

from analytics.models import AlertRobot, AlertRule
from surveyhub.security.roles import Role
from tests.analytics.alerts.robot_server import SECRETS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def client_for(role):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(UserFactory(role=role))
    return client


RULE = {"name": "NPS 周环比", "kind": "nps_drop", "window": "week", "threshold": "5",
        "significance": "0.05", "min_count": "30", "email_managers": "on",
        "is_active": "on"}  # fmt: skip


def test_an_admin_creates_a_rule_and_mutes_it():
    admin = client_for(Role.ADMIN)
    response = admin.post("/staff/alerts/rules/new/", RULE)
    assert response.status_code == 302
    rule = AlertRule.objects.get()
    assert rule.name == "NPS 周环比" and rule.created_by is not None
    page = admin.get("/staff/alerts/").content.decode()
    assert "NPS 周环比" in page and "Watching" in page and "NPS drops significantly" in page
    admin.post(f"/staff/alerts/rules/{rule.pk}/mute/", {"until": "2099-01-31"})
    assert str(AlertRule.objects.get().muted_until) == "2099-01-31"
    assert "Muted until 2099-01-31" in admin.get("/staff/alerts/").content.decode()
    response = admin.post(
        f"/staff/alerts/rules/{rule.pk}/mute/", {"until": "2001-01-01"}, follow=True
    )
    assert "2001-01-01 is in the past" in response.content.decode()
    assert str(AlertRule.objects.get().muted_until) == "2099-01-31"


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        (
            {"threshold": "250"},
            "threshold",
            "250.0 is impossible. NPS can drop by more than 0 and at most 200",
        ),
        ({"threshold": "-3"}, "threshold", "is impossible"),
        ({"threshold": ""}, "threshold", "An alert rule of this kind needs a threshold."),
        ({"kind": "csat_drop", "threshold": "120"}, "threshold", "at most 100 percentage points"),
        ({"kind": "detractor_share", "threshold": "100"}, "threshold", "could never fire"),
        (
            {"kind": "topic_surge", "threshold": "0.5"},
            "threshold",
            "more than 1 (e.g. 2 = doubled)",
        ),
        ({"kind": "below_target", "window": "week"}, "window", "per month or quarter"),
        ({"significance": "5"}, "significance", "expected a number above 0 and at most 0.5"),
        (
            {"extra_emails": "ok@example.cn, 不是邮箱"},
            "extra_emails",
            "Not an email address: 不是邮箱.",
        ),
    ],
)
def test_impossible_rules_are_refused_with_a_clear_message(changes, field, words):
    response = client_for(Role.ADMIN).post("/staff/alerts/rules/new/", {**RULE, **changes})
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not AlertRule.objects.exists()


def test_a_manager_reads_alerts_but_cannot_set_rules_and_an_agent_sees_nothing():
    manager = client_for(Role.MANAGER)
    assert manager.get("/staff/alerts/").status_code == 200
    assert manager.get("/staff/alerts/history/").status_code == 200
    assert manager.post("/staff/alerts/rules/new/", RULE).status_code == 403
    assert not AlertRule.objects.exists()
    agent = client_for(Role.AGENT)
    assert agent.get("/staff/alerts/").status_code == 403
    assert agent.get("/staff/alerts/history/").status_code == 403


def test_a_robot_is_added_tested_and_a_failing_test_says_why(robot_server):
    admin = client_for(Role.ADMIN)
    response = admin.post("/staff/alerts/robots/new/", {
        "name": "钉钉 管理群", "kind": "dingtalk", "url": robot_server.url("dingtalk"),
        "secret": SECRETS["dingtalk"], "is_active": "on",
    })  # fmt: skip
    assert response.status_code == 302
    robot = AlertRobot.objects.get()
    page = admin.post(f"/staff/alerts/robots/{robot.pk}/test/", follow=True).content.decode()
    assert "took the test message" in page
    (test_message,) = robot_server.to("dingtalk")
    assert test_message.signature_ok is True

    # Editing without typing the secret keeps it; the page never shows it back.
    admin.post(f"/staff/alerts/robots/{robot.pk}/", {
        "name": "钉钉 管理群", "kind": "dingtalk", "url": robot_server.url("dingtalk"),
        "secret": "", "is_active": "on",
    })  # fmt: skip
    assert AlertRobot.objects.get().secret == SECRETS["dingtalk"]
    assert (
        SECRETS["dingtalk"] not in admin.get(f"/staff/alerts/robots/{robot.pk}/").content.decode()
    )

    robot_server.failures["dingtalk"] = [(200, {"errcode": 300001, "errmsg": "token is not exist"})]
    page = admin.post(f"/staff/alerts/robots/{robot.pk}/test/", follow=True).content.decode()
    assert "The test message to “钉钉 管理群” failed" in page
    assert "error 300001" in page and "token is not exist" in page


def test_a_bad_robot_address_or_secret_is_refused():
    admin = client_for(Role.ADMIN)
    page = admin.post("/staff/alerts/robots/new/", {
        "name": "x", "kind": "dingtalk", "url": "ftp://example.cn/robot", "secret": "abc",
        "is_active": "on",
    }).content.decode()  # fmt: skip
    assert "starts with “SEC”" in page
    assert not AlertRobot.objects.exists()
