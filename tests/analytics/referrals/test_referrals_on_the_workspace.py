"""The evaluation workspace's period page shows the referral rate of the period's promoters
(loyalty) and the word-of-mouth value of referred customers (value)."""

import re
from decimal import Decimal

import pytest

from analytics.models import Purchase, Referral, ReferralCode, ReferralSource
from tests.analytics.workspace.conftest import local, manager, two_quarters  # noqa: F401
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _block(page) -> str:
    body = page.content.decode()
    found = re.search(r'<section class="ws-block" aria-labelledby="ws-referrals">(.*?)</section>',
                      body, re.S)  # fmt: skip
    assert found, "no referrals block"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1)))


def test_the_period_shows_referral_rate_and_word_of_mouth_value(manager, two_quarters):  # noqa: F811
    promoter = two_quarters["people"][0]  # answered 10 in Q2
    code = ReferralCode.objects.create(code="WS2345AB", customer=promoter)
    friend = CustomerFactory(name="口碑朋友😊")
    Referral.objects.create(code=code, referred=friend, source=ReferralSource.LINK)
    Purchase.objects.create(customer=friend, order_id="REF-1", ordered_at=local(2026, 6, 1),
                            amount=Decimal("288.00"))  # fmt: skip

    zh = _block(manager.get("/staff/evaluations/2026Q2/"))
    en = _block(manager.get("/staff/evaluations/2026Q2/", HTTP_ACCEPT_LANGUAGE="en"))

    # Q2's promoters: people 0, 1 (10) and 2 (9); one of them referred someone.
    assert "推荐率 33.3%" in zh and "3 位推荐者中的 1 位" in zh
    assert "口碑价值 ¥288" in zh
    assert "Referral rate 33.3% (1 of 3 promoters)" in en
    assert "Word-of-mouth value CN¥288" in en


def test_a_period_without_referrals_says_zero_not_nothing(manager, two_quarters):  # noqa: F811
    en = _block(manager.get("/staff/evaluations/2026Q1/", HTTP_ACCEPT_LANGUAGE="en"))

    assert "Referral rate 0.0% (0 of 2 promoters)" in en
