"""The referral link /r/ref/<code>/: counts the visit and remembers the code, so that the
friend's later answer as a known customer records the referral; an unknown or mangled code
gets a friendly page, never an error."""

import pytest

from analytics.models import Referral, ReferralCode, ReferralSource
from analytics.referrals.thanks import REFERRAL_COOKIE
from tests.analytics.referrals.helpers import answer, invite
from tests.factories import CustomerFactory, published_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def promoter_code(client):
    promoter = CustomerFactory(name="張偉（推薦人）", external_id="PROMO-1")
    answer(client, invite(published_survey(consent_text=""), promoter)[1], nps=10)
    client.cookies.clear()
    return ReferralCode.objects.get(customer=promoter)


def test_visiting_the_link_counts_and_welcomes_the_friend_with_the_code(client, promoter_code):
    page = client.get(f"/r/ref/{promoter_code.code}/")

    assert page.status_code == 200
    assert "朋友向您推荐了我们" in page.content.decode()
    assert promoter_code.code in page.content.decode()
    assert page.cookies[REFERRAL_COOKIE].value == promoter_code.code
    assert page.cookies[REFERRAL_COOKIE]["httponly"]
    promoter_code.refresh_from_db()
    assert promoter_code.visits == 1


def test_a_code_typed_in_lower_case_with_a_dash_or_full_width_still_counts(client, promoter_code):
    code = promoter_code.code
    typed = code[:4].lower() + "-" + "".join(chr(ord(c) + 0xFEE0) for c in code[4:])

    page = client.get(f"/r/ref/{typed}/")

    assert page.cookies[REFERRAL_COOKIE].value == code
    promoter_code.refresh_from_db()
    assert promoter_code.visits == 1


@pytest.mark.parametrize("code", ["NOSUCH99", "推荐码不存在😀", "x" * 80])
def test_an_unknown_code_gets_a_friendly_page_and_no_cookie(client, code):
    page = client.get(f"/r/ref/{code}/")

    assert page.status_code == 200
    assert "欢迎" in page.content.decode()
    assert REFERRAL_COOKIE not in page.cookies


def test_the_friend_answering_later_as_a_customer_is_recorded_as_referred(client, promoter_code):
    client.get(f"/r/ref/{promoter_code.code}/")
    friend = CustomerFactory(name="朋友小美🌸")

    answer(client, invite(published_survey(consent_text=""), friend)[1], nps=8, text="還可以")

    referral = Referral.objects.get()
    assert (referral.code, referral.referred, referral.source) == (
        promoter_code, friend, ReferralSource.LINK,
    )  # fmt: skip


def test_a_customer_is_referred_once_and_never_by_their_own_code(client, promoter_code):
    client.get(f"/r/ref/{promoter_code.code}/")
    answer(client, invite(published_survey(consent_text=""), promoter_code.customer)[1], nps=10)
    assert not Referral.objects.exists()  # their own link

    friend = CustomerFactory()
    answer(client, invite(published_survey(consent_text=""), friend)[1], nps=9)
    other = ReferralCode.objects.exclude(pk=promoter_code.pk).get(customer=friend)
    client.get(f"/r/ref/{other.code}/")
    answer(client, invite(published_survey(consent_text=""), friend)[1], nps=9)

    assert list(Referral.objects.values_list("code", "referred")) == [(promoter_code.pk, friend.pk)]


def test_a_stale_cookie_naming_no_code_changes_nothing(client):
    client.cookies[REFERRAL_COOKIE] = "GONE1234"

    page = answer(client, invite(published_survey(consent_text=""))[1], nps=7, text="一般")

    assert "感谢" in page
    assert not Referral.objects.exists()
