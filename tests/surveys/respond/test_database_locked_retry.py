"""Issue 22, failure 6: a respondent whose write finds SQLite locked (past the busy timeout)
gets their answer stored, not HTTP 500 — the page and the JSON submit are run again.

The lock is made to hit once, after the write it interrupts (so that write is rolled back),
through the services the views call. Outside a test transaction (transaction=True), as in
the server: inside one, the retry is rightly refused (the caller's transaction is lost)."""

import uuid

import pytest
from django.db import OperationalError

from surveys.models import Answer, Response, ResponseStatus
from surveys.responding import services, views
from tests.factories import published_survey

pytestmark = pytest.mark.django_db(transaction=True)


def _locked_once(real):
    calls = []

    def wrapper(**kwargs):
        calls.append(1)
        result = real(**kwargs)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return result

    wrapper.calls = calls
    return wrapper


def test_the_last_page_and_completion_are_done_again_when_the_database_was_locked(
    client, monkeypatch
):
    survey = published_survey(slug="locked-page", consent_text="")
    url = f"/s/{survey.slug}/"
    rk = str(uuid.uuid4())
    step = client.post(url, {"page": 0, "rk": rk, "nps": "2", "action": "next"})
    assert step.status_code == 302
    complete = _locked_once(services.response_complete)
    monkeypatch.setattr(views, "response_complete", complete)

    done = client.post(
        step["Location"],
        {"page": 1, "rk": rk, "reason": "delivery", "comment": "一直没人回复", "action": "submit"},
    )

    assert done.status_code == 302, done.content[:300]
    assert len(complete.calls) == 2
    response = Response.objects.get()
    assert response.status == ResponseStatus.COMPLETED
    assert response.nps_score == 2
    assert sorted(Answer.objects.values_list("question_key", flat=True)) == [
        "comment",
        "nps",
        "reason",
    ]


def test_the_json_submit_is_stored_once_when_the_database_was_locked(client, monkeypatch):
    survey = published_survey(slug="locked-json", consent_text="")
    insert = services.insert_completed
    calls = []

    def insert_then_locked(response, answers, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return insert(response, answers, **kwargs)

    monkeypatch.setattr(services, "insert_completed", insert_then_locked)
    reply = client.post(
        f"/api/v1/public/surveys/{survey.slug}/responses/",
        {"answers": {"nps": 1, "comment": "太慢了"}, "submission_id": str(uuid.uuid4())},
        content_type="application/json",
    )
    assert reply.status_code == 201, reply.content
    assert len(calls) == 2
    assert Response.objects.filter(status=ResponseStatus.COMPLETED).count() == 1
