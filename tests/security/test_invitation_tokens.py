"""Invitation tokens: unguessable (HMAC of a random seed), hashed at rest, and single-use."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from surveys.distribution.tokens import TOKEN_LENGTH, hash_token, new_seed, token_for
from surveys.models import Distribution, Invitation, Response, ResponseStatus
from tests.factories import CustomerFactory, published_survey

REFUSED = "You have already answered this survey with this link"


def invite(survey):
    seed = new_seed()
    distribution = Distribution.objects.create(survey=survey, channel="email")
    invitation = Invitation.objects.create(
        distribution=distribution, customer=CustomerFactory(), token_seed=seed,
        token_hash=hash_token(token_for(seed)), status="sent", language="en",
    )  # fmt: skip
    return invitation, f"/i/{token_for(seed)}/"


@pytest.mark.django_db
def test_a_token_is_an_hmac_of_its_seed_under_the_secret_key(settings):
    seed = new_seed()
    token = token_for(seed)
    assert len(token) == TOKEN_LENGTH
    settings.SECRET_KEY = "another-" + "k" * 50
    assert token_for(seed) != token  # the seed alone (e.g. from a database copy) is not enough


@pytest.mark.django_db
def test_what_the_database_holds_opens_no_survey(client):
    invitation, url = invite(published_survey(consent_text=""))
    for stored in (invitation.token_seed, invitation.token_hash, invitation.token_hash[:43]):
        assert client.get(f"/i/{stored}/").status_code == 404
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_answers_sent_again_after_completion_are_refused_with_a_clear_page(client):
    survey = published_survey(consent_text="")
    _, url = invite(survey)
    client.post(url, {"page": 0, "nps": "10", "action": "next"})
    client.post(url, {"page": 1, "praise": "服务很好", "action": "submit"})

    again = Client().post(url, {"page": 0, "nps": "0", "action": "next"})

    assert REFUSED in again.content.decode()
    response = Response.objects.get()
    assert response.nps_score == 10
    assert response.answers.get(question_key="nps").number == 10
    # Right after the last page: thanks, no refusal-like line. Opening the link later shows
    # the thanks and that the link is used up, with no form.
    just_now = Client().get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "This personal link takes one response" not in just_now
    assert "<form" not in just_now
    Response.objects.update(completed_at=timezone.now() - timedelta(minutes=11))
    later = Client().get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "This personal link takes one response" in later
    assert "<form" not in later


def _at_once(*calls):
    """Run the calls in threads released together; return their results in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_phones_opening_one_invitation_at_once_share_one_draft():
    _, url = invite(published_survey(consent_text=""))
    phones = [Client(), Client()]
    replies = _at_once(
        *(lambda p=p, n=n: p.post(url, {"page": 0, "nps": n, "action": "next"})
          for p, n in zip(phones, ["9", "10"], strict=True))
    )  # fmt: skip
    assert [r.status_code for r in replies] == [302, 302]
    assert Response.objects.count() == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_phones_submitting_one_invitation_at_once_make_one_response_and_one_is_refused():
    _, url = invite(published_survey(consent_text=""))
    first, second = Client(), Client()
    first.post(url, {"page": 0, "nps": "10", "action": "next"})
    replies = _at_once(
        lambda: first.post(url, {"page": 1, "praise": "第一台手机", "action": "submit"}),
        lambda: second.post(url, {"page": 1, "praise": "第二台手机", "action": "submit"}),
    )
    assert sorted(r.status_code for r in replies) == [200, 302]
    refused = next(r for r in replies if r.status_code == 200)
    assert REFUSED in refused.content.decode()
    response = Response.objects.get()
    assert response.status == ResponseStatus.COMPLETED
    praise = response.answers.get(question_key="praise").text
    winner = replies.index(next(r for r in replies if r.status_code == 302))
    assert praise == ["第一台手机", "第二台手机"][winner]
