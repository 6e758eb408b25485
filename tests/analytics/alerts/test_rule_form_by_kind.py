"""The rule form reads per kind: without JavaScript every kind-specific field says which kinds
use it and the server ignores the rest (saying so); errors name their field in Chinese; the
robot form never shows a saved address or secret again (masked), and keeps them when left
empty. One form view and one template serve both."""

import html
import re

import pytest
from django.test import Client

from analytics.models import AlertRobot, AlertRule
from feedback.models import Topic
from surveyhub.security.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
TOKEN = "0123456789abcdef0123456789abcdef-k7q2"


@pytest.fixture
def admin() -> Client:
    client = Client()
    client.force_login(UserFactory(role=Role.ADMIN))
    return client


def page(response) -> str:
    return html.unescape(response.content.decode())


def boxes(body: str) -> dict[str, str]:
    """field name → its data-kinds ("" = every kind)."""
    found = {}
    for chunk in body.split('<div class="al-field')[1:]:
        attrs, inner = chunk.split(">", 1)
        name = re.search(r'name="([^"]+)"', inner)
        kinds = re.search(r'data-kinds="([^"]*)"', attrs)
        if name:
            found[name.group(1)] = kinds.group(1) if kinds else ""
    return found


def test_each_kind_specific_field_says_which_kinds_read_it(admin):
    AlertRobot.objects.create(name="企业微信群", kind="wecom", url="https://qyapi.weixin.qq.com/x")
    body = page(admin.get("/staff/alerts/rules/new/", **ZH))

    kinds = boxes(body)
    assert kinds["indicator"] == "below_target"
    assert kinds["topic"] == "topic_surge"
    assert kinds["threshold"] == "nps_drop csat_drop detractor_share topic_surge"
    assert kinds["name"] == kinds["robots"] == kinds["window"] == ""
    assert "仅用于：" in body
    assert 'src="/static/analytics/alert_rule_form.js"' in body
    assert "<script>" not in body  # our own file only: the CSP allows no inline script


def test_fields_of_other_kinds_are_ignored_on_save_and_named(admin):
    topic = Topic.objects.create(key="pay", name="支付")
    response = admin.post("/staff/alerts/rules/new/", {
        "name": "指标未达标 📉", "kind": "below_target", "window": "month", "indicator": "nps",
        "threshold": "abc", "topic": topic.pk, "significance": "0.9", "min_count": "30",
        "email_managers": "on",
    }, follow=True, **ZH)  # fmt: skip

    rule = AlertRule.objects.get()
    assert rule.threshold is None and rule.topic is None and rule.significance == 0.05
    assert rule.indicator == "nps"
    assert "此类规则不使用，已忽略：阈值、话题、显著性水平" in page(response)


@pytest.mark.parametrize(
    ("changes", "label", "words"),
    [
        ({"threshold": "500"}, "阈值", "500.0"),
        ({"threshold": "很多"}, "阈值", "输入一个数字"),
        ({"significance": "2"}, "显著性水平", "0.05"),
        ({"extra_emails": "不是邮箱"}, "其他邮箱地址", "不是邮箱"),
        ({"name": ""}, "名称", "该字段是必填项"),
    ],
)
def test_an_error_names_its_field_in_chinese_and_nothing_is_saved(admin, changes, label, words):
    data = {"name": "NPS 周环比下降", "kind": "nps_drop", "window": "week", "threshold": "5",
            "significance": "0.05", "min_count": "30"}  # fmt: skip

    response = admin.post("/staff/alerts/rules/new/", {**data, **changes}, **ZH)

    assert response.status_code == 200
    summary = page(response).split('id="al-errors"')[1].split("</div>")[0]
    assert f">{label}</a>：" in summary and words in summary
    assert not AlertRule.objects.exists()


def test_a_robots_address_and_secret_are_never_shown_again_and_kept_when_left_empty(admin):
    secret = "SEC" + "f" * 60 + "9b1d"
    robot = AlertRobot.objects.create(
        name="钉钉群", kind="dingtalk", secret=secret,
        url=f"https://oapi.dingtalk.com/robot/send?access_token={TOKEN}",
    )  # fmt: skip

    body = page(admin.get(f"/staff/alerts/robots/{robot.pk}/", **ZH))
    assert TOKEN not in body and secret not in body and TOKEN[-12:] not in body
    assert "https://oapi.dingtalk.com/…k7q2" in body and "…9b1d" in body
    listing = page(admin.get("/staff/alerts/", **ZH))
    assert "https://oapi.dingtalk.com/…k7q2" in listing and TOKEN[-12:] not in listing

    saved = admin.post(f"/staff/alerts/robots/{robot.pk}/",
                       {"name": "钉钉群 2", "kind": "dingtalk", "url": "", "secret": "",
                        "is_active": "on"})  # fmt: skip
    assert saved.status_code == 302
    robot.refresh_from_db()
    assert robot.name == "钉钉群 2" and robot.url.endswith(TOKEN) and robot.secret == secret


def test_a_new_robot_needs_its_address_and_the_error_names_it(admin):
    response = admin.post("/staff/alerts/robots/new/", {"name": "群", "kind": "wecom", "url": ""},
                          **ZH)  # fmt: skip
    summary = page(response).split('id="al-errors"')[1].split("</div>")[0]
    assert ">Webhook 地址</a>：" in summary
    assert not AlertRobot.objects.exists()


def test_managers_cannot_open_either_form(db):
    client = Client()
    client.force_login(UserFactory(role=Role.MANAGER))
    assert client.get("/staff/alerts/rules/new/").status_code == 403
    assert client.get("/staff/alerts/robots/new/").status_code == 403
