"""A promoter's thank-you page offers a personal referral code and link; nobody else's does,
and a failing hook never costs a respondent their thank-you page."""

import re

import pytest

from analytics.models import ReferralCode
from surveys.responding import thanks_hooks
from surveys.responding.thanks_hooks import ThanksHook, register_thanks_hook
from tests.analytics.referrals.helpers import answer, invite
from tests.factories import CustomerFactory, published_survey

pytestmark = pytest.mark.django_db

CODE = re.compile(r'<p class="referral-code">([A-Z0-9]{8})</p>')


def test_a_promoter_is_offered_a_personal_code_and_link_in_chinese(client):
    customer = CustomerFactory(name="王小明😀", external_id="P1")
    _invitation, url = invite(published_survey(consent_text=""), customer)

    page = answer(client, url, nps=10, text="服務很好，會推薦給朋友 👍")

    assert "推荐给朋友" in page
    code = ReferralCode.objects.get(customer=customer)
    assert CODE.search(page).group(1) == code.code
    assert f"http://testserver/r/ref/{code.code}/" in page
    assert code.response.nps_score == 10


def test_the_offer_is_in_english_for_an_english_page(client):
    _invitation, url = invite(published_survey(consent_text="", languages=["zh-hans", "en"]))

    page = answer(client, url + "?lang=en", nps=9, HTTP_ACCEPT_LANGUAGE="en")

    assert "Recommend us to a friend" in page
    assert CODE.search(page)


@pytest.mark.parametrize("score", [0, 6, 7, 8])
def test_passives_and_detractors_get_no_offer_and_no_code(client, score):
    _invitation, url = invite(published_survey(consent_text=""))

    page = answer(client, url, nps=score, text="一般")

    assert "referral-offer" not in page
    assert not ReferralCode.objects.exists()


def test_a_promoter_keeps_one_code_across_answers(client):
    customer = CustomerFactory(name="李雷")
    first = CODE.search(answer(client, invite(published_survey(consent_text=""), customer)[1],
                               nps=10)).group(1)  # fmt: skip
    second = CODE.search(answer(client, invite(published_survey(consent_text=""), customer)[1],
                                nps=9)).group(1)  # fmt: skip

    assert first == second
    assert ReferralCode.objects.count() == 1


def test_an_anonymous_promoter_of_a_public_link_gets_a_code_of_their_answer(client):
    survey = published_survey(consent_text="", slug="open-nps")

    page = answer(client, f"/s/{survey.slug}/", nps=10)

    code = ReferralCode.objects.get()
    assert code.customer is None and code.response.nps_score == 10
    assert CODE.search(page).group(1) == code.code


def test_a_failing_hook_leaves_the_thank_you_page_and_the_offer(client, monkeypatch):
    monkeypatch.setattr(thanks_hooks, "_HOOKS", dict(thanks_hooks._HOOKS))

    def broken(request, response):
        raise RuntimeError("boom")

    register_thanks_hook(ThanksHook(key="broken", render=broken, order=1))
    _invitation, url = invite(published_survey(consent_text=""))

    page = answer(client, url, nps=10)

    assert "感谢" in page
    assert CODE.search(page)
