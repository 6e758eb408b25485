"""Answering through a personal invitation link /i/<token>/."""

import pytest

from surveys.distribution.tokens import hash_token, new_seed, token_for
from surveys.models import Distribution, Invitation, Response, ResponseStatus
from tests.factories import CustomerFactory, published_survey

pytestmark = pytest.mark.django_db


def invite(survey, **customer):
    seed = new_seed()
    distribution = Distribution.objects.create(survey=survey, channel="email")
    invitation = Invitation.objects.create(
        distribution=distribution, customer=CustomerFactory(**customer), token_seed=seed,
        token_hash=hash_token(token_for(seed)), status="sent",
        language=customer.get("language", "zh-hans"),
    )  # fmt: skip
    return invitation, f"/i/{token_for(seed)}/"


def test_tokens_carry_at_least_128_random_bits_and_only_their_hash_is_stored():
    seeds = {new_seed() for _ in range(1000)}
    assert len(seeds) == 1000
    assert all(len(bytes.fromhex(seed)) * 8 >= 128 for seed in seeds)
    invitation, url = invite(published_survey())
    token = url.split("/")[2]
    assert token not in (invitation.token_hash, invitation.token_seed)
    assert Invitation.objects.filter(token_hash=hash_token(token)).exists()


def test_opening_the_link_marks_the_invitation_opened(client):
    invitation, url = invite(published_survey(consent_text=""), name="李雷")
    assert client.get(url).status_code == 200
    invitation.refresh_from_db()
    assert invitation.opened_at is not None


def test_the_answer_is_linked_to_the_customer_and_the_invitation(client):
    survey = published_survey(consent_text="")
    invitation, url = invite(survey, name="韩梅梅")
    client.post(url, {"page": 0, "nps": "2", "action": "next"})
    client.post(url, {"page": 1, "comment": "退款太慢", "action": "submit"})
    response = Response.objects.get()
    assert response.invitation == invitation
    assert response.customer == invitation.customer
    assert response.channel == "email"
    assert response.status == ResponseStatus.COMPLETED


def test_leaving_and_coming_back_from_another_device_resumes_the_same_draft(client):
    from django.test import Client

    survey = published_survey(consent_text="")
    _, url = invite(survey)
    client.post(url, {"page": 0, "nps": "9", "action": "next"})
    other_phone = Client()
    page = other_phone.get(url).content.decode()
    assert "您最喜欢我们什么" in page
    assert Response.objects.count() == 1


def test_a_used_invitation_shows_thanks_and_takes_no_second_response(client):
    survey = published_survey(consent_text="")
    _, url = invite(survey)
    client.post(url, {"page": 0, "nps": "10", "action": "next"})
    client.post(url, {"page": 1, "praise": "很好", "action": "submit"})
    again = client.post(url, {"page": 0, "nps": "0", "action": "next"})
    assert again.status_code == 200
    assert "感谢" in again.content.decode()
    assert Response.objects.get().nps_score == 10


@pytest.mark.parametrize("token", ["x" * 43, "short", "A" * 42 + "!", "%00" * 15, "测试" * 20])
def test_a_tampered_or_unknown_token_gets_a_friendly_page(client, token):
    reply = client.get(f"/i/{token}/")
    assert reply.status_code == 404
    assert "此链接无效" in reply.content.decode()


def test_an_invitation_to_a_closed_survey_says_it_is_closed(client):
    from surveys.design.services import survey_close

    survey = published_survey(consent_text="")
    _, url = invite(survey)
    survey_close(survey=survey)
    assert "此问卷已结束" in client.get(url).content.decode()


def test_an_english_customer_gets_the_english_survey(client):
    _, url = invite(published_survey(consent_text=""), language="en")
    assert "How likely are you to recommend us" in client.get(url).content.decode()


def test_the_customers_name_is_piped_into_the_survey_texts(client):
    survey = published_survey(
        consent_text="", intro="{name}，您好！感谢您在{city}门店购物。{unknown}"
    )
    _, url = invite(survey, name="王芳", attributes={"city": "杭州"})
    html = client.get(url).content.decode()
    assert "王芳，您好！感谢您在杭州门店购物。{unknown}" in html


def test_piped_values_are_escaped(client):
    survey = published_survey(consent_text="", intro="{name}，您好")
    _, url = invite(survey, name="<script>alert(1)</script>")
    html = client.get(url).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
