"""An NPS drop fires once per week and reaches every channel in its documented format: the
WeCom markdown message, DingTalk's signed URL, Feishu's signed body (the signatures checked
by the local robot server) and an email through a real SMTP server."""

import pytest

from analytics.alerts.services import alerts_evaluate, deliveries_send_due
from analytics.models import Alert, AlertDelivery
from tests.analytics.alerts.conftest import TODAY, make_rule

pytestmark = pytest.mark.django_db


def test_a_significant_nps_drop_reaches_the_managers_and_every_robot(
    nps_dropped, robots, robot_server, smtp, manager
):
    rule = make_rule(robots=robots, extra_emails="质量部 <quality@example.cn>, ops@example.cn")
    fired = alerts_evaluate(today=TODAY)
    assert [a.key for a in fired] == ["nps:2026-W46"]
    assert deliveries_send_due() == 4

    alert = Alert.objects.get()
    assert alert.rule == rule
    assert alert.details["current"] == -20.0 and alert.details["previous"] == 40.0
    assert alert.details["difference"] == -60.0 and alert.details["p_value"] < 0.001
    assert set(AlertDelivery.objects.values_list("status", flat=True)) == {"sent"}

    (wecom,) = robot_server.to("wecom")
    assert wecom.query["key"] == ["wecom-key-1"]
    assert wecom.body["msgtype"] == "markdown"
    assert "NPS" in wecom.body["markdown"]["content"]
    assert "−60" in wecom.body["markdown"]["content"]  # the change, with a true minus sign

    (ding,) = robot_server.to("dingtalk")
    assert ding.query["access_token"] == ["ding-token-1"]
    assert ding.signature_ok is True
    assert ding.body["msgtype"] == "markdown"
    assert ding.body["markdown"]["title"] and "−60" in ding.body["markdown"]["text"]

    (feishu,) = robot_server.to("feishu")
    assert feishu.signature_ok is True
    assert feishu.body["msg_type"] == "text"
    assert "NPS" in feishu.body["content"]["text"]

    recipients = sorted(to for m in smtp.messages for to in m["To"].split(", "))
    assert recipients == sorted(["wang.manager@example.cn", "质量部 <quality@example.cn>",
                                 "ops@example.cn"])  # fmt: skip
    message = smtp.messages[0]
    assert "NPS" in message["Subject"]
    assert "/staff/alerts/history/#alert-" in message.get_content()


def test_the_same_week_fires_once_and_a_muted_or_inactive_rule_never(
    nps_dropped, robots, robot_server
):
    rule = make_rule(robots=robots[:1], email_managers=False)
    assert len(alerts_evaluate(today=TODAY)) == 1
    assert alerts_evaluate(today=TODAY) == []  # hourly re-checks add nothing
    deliveries_send_due()
    assert len(robot_server.received) == 1

    Alert.objects.all().delete()
    rule.muted_until = TODAY
    rule.save()
    assert alerts_evaluate(today=TODAY) == []
    rule.muted_until = None
    rule.is_active = False
    rule.save()
    assert alerts_evaluate(today=TODAY) == []
    rule.is_active = True
    rule.save()
    assert len(alerts_evaluate(today=TODAY)) == 1


def test_a_drop_smaller_than_the_threshold_or_too_few_answers_does_not_fire(nps_dropped):
    make_rule(name="大跌才报", threshold=70)
    make_rule(name="样本不足", threshold=5, min_count=500)
    assert alerts_evaluate(today=TODAY) == []


def test_a_change_that_could_be_chance_does_not_fire(survey):
    from tests.analytics.alerts.conftest import LAST_WEEK, WEEK_BEFORE, answer

    answer(survey, WEEK_BEFORE, 18, nps_score=10)
    answer(survey, WEEK_BEFORE, 12, nps_score=3)
    answer(survey, LAST_WEEK, 15, nps_score=10)
    answer(survey, LAST_WEEK, 15, nps_score=3)  # NPS 20 → 0 on 30 answers: p ≈ 0.44
    make_rule(threshold=5, min_count=30)
    assert alerts_evaluate(today=TODAY) == []


def test_a_robot_without_a_secret_gets_an_unsigned_url(nps_dropped, robot_server):
    from analytics.models import AlertRobot

    plain = AlertRobot.objects.create(
        name="未加签", kind="dingtalk", url=robot_server.url("dingtalk")
    )
    make_rule(robots=[plain], email_managers=False)
    alerts_evaluate(today=TODAY)
    deliveries_send_due()
    (ding,) = robot_server.to("dingtalk")
    assert ding.signature_ok is None and "sign" not in ding.query
