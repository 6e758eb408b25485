"""Referral rate = promoters who referred someone ÷ promoters, word-of-mouth value = the
referred customers' purchases and CLV: in the API (documented in the schema), on the customer
360 page, and as the pure definition."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from analytics.metrics.referrals import referral_rate, referral_result
from analytics.models import ClvRun, CustomerValue, Referral, ReferralCode, ReferralSource
from surveyhub.api.tokens import api_token_create
from surveyhub.security.roles import Role
from surveys.models import Response, ResponseStatus
from tests.factories import CustomerFactory, PurchaseFactory, UserFactory, published_survey

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _answer(customer, score, day=dt.date(2026, 5, 10)):
    survey = published_survey(consent_text="")
    return Response.objects.create(
        survey=survey, version=survey.current_version, customer=customer, channel="link",
        status=ResponseStatus.COMPLETED, nps_score=score,
        completed_at=dt.datetime.combine(day, dt.time(10), SHANGHAI),
    )  # fmt: skip


@pytest.fixture
def world(db):
    """Four promoters (one anonymous), a detractor; two promoters brought three customers."""
    a, b, c = (CustomerFactory(name=n) for n in ("推薦人甲🎉", "推荐人乙", "推荐人丙"))
    anonymous = _answer(None, 10)
    for promoter in (a, b, c):
        _answer(promoter, 9)
    _answer(CustomerFactory(name="批评者"), 2)
    code_a = ReferralCode.objects.create(code="AAAA2222", customer=a)
    code_anon = ReferralCode.objects.create(code="BBBB3333", response=anonymous)
    ReferralCode.objects.create(code="CCCC4444", customer=b)  # b referred no one
    friends = [CustomerFactory(name=f"朋友{n}号") for n in range(3)]
    for friend, code in zip(friends, (code_a, code_a, code_anon), strict=True):
        Referral.objects.create(code=code, referred=friend, source=ReferralSource.IMPORT)
    PurchaseFactory(customer=friends[0], amount=Decimal("300.00"))
    PurchaseFactory(customer=friends[0], amount=Decimal("-50.00"), is_refund=True)
    PurchaseFactory(customer=friends[2], amount=Decimal("120.50"))
    run = ClvRun.objects.create(as_of=dt.date(2026, 6, 30), r=1, alpha=1, a=1, b=1,
                                bgnbd_log_likelihood=0, n_customers=2)  # fmt: skip
    for friend, clv in ((friends[0], "800.00"), (friends[2], "99.50")):
        CustomerValue.objects.create(
            run=run, customer=friend, frequency=1, recency=1, T=10, monetary=1, recency_days=3,
            orders=1, spend=Decimal("1"), r_score=3, f_score=3, m_score=3,
            rfm_segment="important_value", p_alive=1, expected_orders_1y=1, clv=Decimal(clv),
            value_tier="high",
        )  # fmt: skip
    return {"promoters": (a, b, c), "friends": friends}


def _api(client, role=Role.MANAGER, query=""):
    _token, key = api_token_create(user=UserFactory(role=role))
    return client.get(f"/api/v1/analytics/referrals/{query}", HTTP_AUTHORIZATION=f"Token {key}")


def test_the_api_gives_the_referral_rate_and_word_of_mouth_value(client, world):
    body = _api(client).json()

    assert (body["promoters"], body["referring_promoters"]) == (4, 2)
    assert body["referral_rate"] == 50.0
    assert (body["referred_customers"], body["orders"]) == (3, 2)
    assert (body["spend"], body["clv"]) == ("370.50", "899.50")
    assert body["word_of_mouth_value"] == "1270.00"


def test_the_period_limits_the_promoters_counted(client, world):
    _answer(world["promoters"][1], 10, day=dt.date(2026, 7, 2))

    body = _api(client, query="?from=2026-07-01&to=2026-07-31").json()

    assert (body["promoters"], body["referring_promoters"], body["referral_rate"]) == (1, 0, 0.0)


def test_no_promoters_give_no_rate_rather_than_zero(client):
    body = _api(client).json()
    assert (body["promoters"], body["referral_rate"], body["word_of_mouth_value"]) == (
        0, None, "0.00",  # money always to the cent
    )  # fmt: skip


def test_a_bad_date_is_a_400_naming_the_parameter(client, world):
    reply = _api(client, query="?from=2026-13-01")
    assert reply.status_code == 400
    assert "from" in reply.json()["errors"]


def test_agents_may_not_read_it(client, world):
    assert _api(client, role=Role.AGENT).status_code == 403


def test_the_schema_documents_the_endpoint(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/analytics/referrals/" in schema
    assert "word_of_mouth_value" in schema
    assert "/api/v1/analytics/demographics/" in schema


def test_the_360_page_shows_who_referred_them_and_whom_they_referred(client, world):
    client.force_login(UserFactory(role=Role.MANAGER))
    promoter, friend = world["promoters"][0], world["friends"][0]

    promoter_page = client.get(f"/staff/customers/{promoter.pk}/").content.decode()
    friend_page = client.get(f"/staff/customers/{friend.pk}/").content.decode()

    assert "推荐与属性" in promoter_page
    assert "AAAA2222" in promoter_page and "朋友0号" in promoter_page and "朋友1号" in promoter_page
    assert "推薦人甲🎉" in friend_page and "AAAA2222" in friend_page


def test_the_pure_definition():
    assert referral_rate(promoters=8, referring_promoters=2) == 25.0
    assert referral_rate(promoters=0, referring_promoters=0) is None
    with pytest.raises(ValueError, match="between"):
        referral_rate(promoters=1, referring_promoters=2)
    result = referral_result(promoters=2, referring_promoters=1, referred_customers=1, orders=0,
                             spend=None, clv=Decimal("5"))  # fmt: skip
    assert result.value == Decimal("5")
