"""A small known data set for the dashboard: two customers, six NPS answers in May and June
2026, feedback with a topic, a CLV run and three triage cases (one open and overdue)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from analytics.models import ClvRun, CustomerValue, Purchase
from feedback.models import FeedbackAspect, FeedbackItem, FeedbackTopic, Topic
from feedback.models.cases import Case, CaseStatus
from surveyhub.security.roles import Role
from surveys.models import Response, ResponseStatus
from tests.factories import CustomerFactory, UserFactory, published_survey

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(month, day, hour=12) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=SHANGHAI)


@dataclass
class DataSet:
    survey: object
    high: object  # high-value customer in 上海
    low: object  # low-value customer in 北京
    topic: Topic
    open_case: Case
    run: ClvRun


def _value(run, customer, *, tier, segment, clv):
    return CustomerValue.objects.create(
        run=run, customer=customer, frequency=2, recency=10.0, T=20.0, monetary=100.0,
        recency_days=5, orders=3, spend=Decimal(clv), r_score=3, f_score=3, m_score=3,
        rfm_segment=segment, p_alive=0.9, expected_orders_1y=2.0, clv=Decimal(clv),
        value_tier=tier,
    )  # fmt: skip


@pytest.fixture
def manager(db):
    return UserFactory(username="manager", role=Role.MANAGER)


@pytest.fixture
def dataset(db) -> DataSet:
    survey = published_survey(consent_text="")
    high = CustomerFactory(region="上海", name="高价值客户")
    low = CustomerFactory(region="北京", name="普通客户")

    def respond(nps, at, customer=None, channel="link", csat=None, ces=None):
        return Response.objects.create(
            survey=survey, version=survey.current_version, customer=customer, channel=channel,
            status=ResponseStatus.COMPLETED, completed_at=at, nps_score=nps, csat_score=csat,
            ces_score=ces,
        )  # fmt: skip

    r2 = respond(10, local(5, 5), high, "wechat", csat=5, ces=6)
    r1 = respond(0, local(5, 10), high, csat=1, ces=2)
    r3 = respond(9, local(5, 10), low, csat=4)
    respond(8, local(5, 11), low)
    r5 = respond(3, local(5, 12), low, "wechat", csat=2, ces=3)
    r6 = respond(7, local(6, 15), csat=4, ces=5)

    topic = Topic.objects.create(key="t-delivery", name="物流")
    for response, label, score in ((r1, "negative", 0.1), (r2, "positive", 0.9),
                                   (r5, "negative", 0.2), (r6, "neutral", 0.5)):  # fmt: skip
        item = FeedbackItem.objects.create(
            text="…", response=response, survey=survey, customer=response.customer,
            source="survey", created_at=response.completed_at, nps_score=response.nps_score,
            sentiment_label=label, sentiment_score=score,
        )  # fmt: skip
        if response in (r1, r5):
            FeedbackTopic.objects.create(item=item, topic=topic, weight=1.0)
        if response is r1:
            FeedbackAspect.objects.create(item=item, aspect="price", score=0.1, label="negative")

    run = ClvRun.objects.create(
        as_of=dt.date(2026, 5, 31), r=1, alpha=1, a=1, b=1, bgnbd_log_likelihood=0, n_customers=2
    )
    _value(run, high, tier="high", segment="important_value", clv="5000.00")
    _value(run, low, tier="low", segment="general_retain", clv="100.00")
    Purchase.objects.create(customer=high, order_id="O1", ordered_at=local(5, 1), amount="500")

    open_case = Case.objects.create(
        customer=high, response=r1, status=CaseStatus.NEW, created_at=local(5, 10),
        due_at=local(5, 11),
    )  # fmt: skip
    Case.objects.create(
        customer=low, response=r5, status=CaseStatus.RESOLVED, created_at=local(5, 12),
        due_at=local(5, 14), resolved_at=local(5, 13),
    )  # fmt: skip
    Case.objects.create(
        customer=low, response=r3, status=CaseStatus.RESOLVED, created_at=local(5, 10),
        due_at=local(5, 11), resolved_at=local(5, 15),
    )  # fmt: skip
    return DataSet(survey, high, low, topic, open_case, run)
