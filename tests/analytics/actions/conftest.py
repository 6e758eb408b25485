import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import translation

from surveyhub.security.roles import Role
from surveys.models import Response, ResponseStatus
from tests.factories import UserFactory, published_survey

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def manager_user(db):
    return UserFactory(role=Role.MANAGER, username="经理李", email="li@example.cn")


@pytest.fixture
def manager(manager_user):
    return client_for(manager_user)


def answer(survey, day: dt.date, count: int, **scores) -> None:
    moment = dt.datetime.combine(day, dt.time(12), tzinfo=SHANGHAI)
    Response.objects.bulk_create(
        Response(survey=survey, version=survey.current_version, channel="link",
                 status=ResponseStatus.COMPLETED, completed_at=moment, **scores)
        for _ in range(count)
    )  # fmt: skip


@pytest.fixture
def nps_recovered(db):
    """September 2026: NPS −50 (20 promoters, 10 passives, 70 detractors); October: NPS +40
    (60, 20, 20) — a significant improvement after an action started from September."""
    survey = published_survey(consent_text="")
    answer(survey, dt.date(2026, 9, 10), 20, nps_score=10)
    answer(survey, dt.date(2026, 9, 10), 10, nps_score=8)
    answer(survey, dt.date(2026, 9, 10), 70, nps_score=2)
    answer(survey, dt.date(2026, 10, 10), 60, nps_score=9)
    answer(survey, dt.date(2026, 10, 10), 20, nps_score=7)
    answer(survey, dt.date(2026, 10, 10), 20, nps_score=6)
    return survey
