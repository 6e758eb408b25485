"""Fixtures of the alert tests: a local robot server (WeCom, DingTalk, Feishu) that verifies
signatures, the real SMTP server on loopback, robots and rules, and answers in chosen weeks."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from analytics.models import AlertRobot, AlertRule
from surveyhub.security.roles import Role
from surveys.models import Response, ResponseStatus
from tests.analytics.alerts.robot_server import SECRETS, running_robot_server
from tests.factories import UserFactory, published_survey
from tests.surveys.distribution.smtp import SmtpServer

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Wednesday: the last complete week is 9–15 Nov 2026, the one before 2–8 Nov.
TODAY = dt.date(2026, 11, 18)
LAST_WEEK = dt.date(2026, 11, 10)
WEEK_BEFORE = dt.date(2026, 11, 3)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def robot_server():
    with running_robot_server() as server:
        yield server


@pytest.fixture
def smtp(settings):
    with SmtpServer() as server:
        for name, value in server.settings().items():
            setattr(settings, name, value)
        yield server.handler


@pytest.fixture
def manager(db):
    return UserFactory(role=Role.MANAGER, username="经理王", email="wang.manager@example.cn")


@pytest.fixture
def robots(db, robot_server):
    return [
        AlertRobot.objects.create(
            name="客服群 企业微信", kind="wecom", url=robot_server.url("wecom")
        ),
        AlertRobot.objects.create(
            name="管理层 钉钉", kind="dingtalk", url=robot_server.url("dingtalk"),
            secret=SECRETS["dingtalk"],
        ),
        AlertRobot.objects.create(
            name="運營 飛書", kind="feishu", url=robot_server.url("feishu"),
            secret=SECRETS["feishu"],
        ),
    ]  # fmt: skip


def make_rule(robots=(), **fields) -> AlertRule:
    values = {"name": "NPS 周环比下降 📉", "kind": "nps_drop", "window": "week", "threshold": 5,
              "min_count": 30, **fields}  # fmt: skip
    rule = AlertRule(**values)
    rule.full_clean()
    rule.save()
    rule.robots.set(robots)
    return rule


@pytest.fixture
def survey(db):
    return published_survey(consent_text="")


def answer(survey, day: dt.date, count: int, **scores) -> None:
    """`count` completed answers at noon (local) on `day` with the given scores."""
    moment = dt.datetime.combine(day, dt.time(12), tzinfo=SHANGHAI)
    Response.objects.bulk_create(
        Response(survey=survey, version=survey.current_version, channel="link",
                 status=ResponseStatus.COMPLETED, completed_at=moment, **scores)
        for _ in range(count)
    )  # fmt: skip


@pytest.fixture
def nps_dropped(survey):
    """Week before: 60 promoters, 20 passives, 20 detractors (NPS 40). Last week: 30, 20, 50
    (NPS −20): a drop of 60 points on 100 answers each, p far below 0.05."""
    answer(survey, WEEK_BEFORE, 60, nps_score=10)
    answer(survey, WEEK_BEFORE, 20, nps_score=8)
    answer(survey, WEEK_BEFORE, 20, nps_score=2)
    answer(survey, LAST_WEEK, 30, nps_score=9)
    answer(survey, LAST_WEEK, 20, nps_score=7)
    answer(survey, LAST_WEEK, 50, nps_score=0)
    return survey
