"""Fixtures of the evaluation tests: a survey, and helpers that store completed responses
and purchases at given local (Asia/Shanghai) moments."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from analytics.models import Purchase
from surveys.models import Response, ResponseStatus
from tests.factories import CustomerFactory, published_survey

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(year, month, day, hour=12, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def survey(db):
    return published_survey(consent_text="")


@pytest.fixture
def respond(survey):
    def make(*, nps=None, csat=None, ces=None, at=None, customer=None, channel="link",
             store="", on=None):  # fmt: skip
        target = on or survey
        return Response.objects.create(
            survey=target, version=target.current_version, customer=customer, channel=channel,
            store=store, status=ResponseStatus.COMPLETED, completed_at=at or local(2026, 5, 10),
            nps_score=nps, csat_score=csat, ces_score=ces,
        )  # fmt: skip

    return make


@pytest.fixture
def buy(db):
    counter = iter(range(1, 10**6))

    def make(customer, at, amount="100.00", category="服装"):
        amount = Decimal(amount)
        return Purchase.objects.create(
            customer=customer, order_id=f"T{next(counter):07d}", ordered_at=at, amount=amount,
            category=category, is_refund=amount < 0,
        )  # fmt: skip

    return make


@pytest.fixture
def customer(db):
    def make(**fields):
        return CustomerFactory(**fields)

    return make
