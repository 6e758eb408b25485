"""Fixtures of the workspace tests: real responses and purchases in 2026Q1/Q2, scorecard
snapshots made by the scorecard service, and clients per role."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from analytics.evaluations.scorecard import evaluation_compute
from analytics.models import Purchase
from surveyhub.security.roles import Role
from surveys.models import Response, ResponseStatus
from tests.factories import CustomerFactory, UserFactory, published_survey

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(year, month, day, hour=12) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def client_for(role: Role) -> Client:
    client = Client()
    client.force_login(UserFactory(role=role))
    return client


@pytest.fixture
def manager(db):
    return client_for(Role.MANAGER)


@pytest.fixture
def two_quarters(db):
    """Q1: six customers order, three answer NPS (10, 9, 3). Q2: the two promoters order
    again, the detractor does not; Q2's answers 10, 10, 9, 7, 3 and CSAT/CES."""
    survey = published_survey(consent_text="")
    counter = iter(range(1, 10**6))

    def buy(customer, at, category="服装"):
        Purchase.objects.create(
            customer=customer, order_id=f"W{next(counter):06d}", ordered_at=at,
            amount=Decimal("100.00"), category=category,
        )  # fmt: skip

    def answer(at, customer=None, **scores):
        Response.objects.create(
            survey=survey, version=survey.current_version, customer=customer, channel="link",
            status=ResponseStatus.COMPLETED, completed_at=at, **scores,
        )  # fmt: skip

    people = [CustomerFactory() for _ in range(6)]
    for i, person in enumerate(people):
        buy(person, local(2026, 2, 1 + i))
    for person, score in zip(people[:3], (10, 9, 3), strict=True):
        answer(local(2026, 3, 1), person, nps_score=score)
    buy(people[0], local(2026, 5, 2))
    buy(people[0], local(2026, 5, 20), category="食品")
    buy(people[1], local(2026, 5, 3))
    for person, score in zip(people[:5], (10, 10, 9, 7, 3), strict=True):
        answer(local(2026, 5, 10), person, nps_score=score)
    for score in (5, 4, 2):
        answer(local(2026, 5, 11), csat_score=score)
    answer(local(2026, 5, 12), ces_score=6)
    evaluation_compute(period="2026Q1")
    return {"people": people, "q2": evaluation_compute(period="2026Q2"), "survey": survey}
