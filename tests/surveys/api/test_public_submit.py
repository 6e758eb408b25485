"""POST /api/v1/public/surveys/<slug>/responses/ — the JSON path for apps and mini programs.

Transactional tests (each statement commits, as in production): on PostgreSQL every submit
here runs the single-statement INSERT of surveys/responding/rows.py, which a test inside a
transaction never reaches. On SQLite they run the ORM fallback, which also has its own tests
on every database (test_public_submit_fallback.py).
"""

import uuid

import pytest
from django.db import connection

from surveys.models import Response
from surveys.responding.rows import fast_path_available
from surveys.signals import response_submitted
from tests.factories import published_survey

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _production_write_path():
    """Each test here submits the way production does: on PostgreSQL, through the single
    statement (a test moved back inside a transaction would silently test the fallback)."""
    assert fast_path_available() == (connection.vendor == "postgresql")


def _submit(client, slug, **body):
    return client.post(
        f"/api/v1/public/surveys/{slug}/responses/", body, content_type="application/json"
    )


def test_a_complete_response_is_stored_and_classified(client):
    survey = published_survey(consent_text="")
    reply = _submit(
        client, survey.slug, answers={"nps": 3, "reason": ["delivery"], "comment": "配送太慢 😤"},
        channel="wechat", store="SZ02",
    )  # fmt: skip
    assert reply.status_code == 201, reply.json()
    assert reply.json()["nps_group"] == "detractor"
    response = Response.objects.get(pk=reply.json()["id"])
    assert (response.channel, response.store, response.nps_score) == ("wechat", "SZ02", 3)
    assert response.answers.get(question_key="comment").text == "配送太慢 😤"


def test_the_same_submission_id_twice_is_stored_once(client):
    survey = published_survey(consent_text="")
    submission = str(uuid.uuid4())
    first = _submit(client, survey.slug, answers={"nps": 9}, submission_id=submission)
    again = _submit(client, survey.slug, answers={"nps": 9}, submission_id=submission)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == {**first.json(), "duplicate": True}
    assert Response.objects.count() == 1


def test_answers_to_hidden_questions_are_dropped(client):
    survey = published_survey(consent_text="")
    reply = _submit(client, survey.slug, answers={"nps": 10, "reason": ["price"], "praise": "好"})
    response = Response.objects.get(pk=reply.json()["id"])
    assert set(response.answers.values_list("question_key", flat=True)) == {"nps", "praise"}


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"nps": 11}, "nps", "请选择 0 到 10 之间的整数。"),
        ({"nps": "很好"}, "nps", "请选择 0 到 10 之间的整数。"),
        ({}, "nps", "这个问题需要回答。"),
        ({"nps": 3, "reason": ["teleport"]}, "reason", "“teleport”不是可选项之一。"),
        ({"nps": 3, "colour": "red"}, "colour", "此问卷中没有这道题。"),
        ({"nps": 5, "comment": "长" * 2001}, "comment", "请控制在 2000 字以内（您写了 2001 字）。"),
    ],
)
def test_bad_answers_get_a_specific_message_and_nothing_is_stored(client, answers, field, message):
    survey = published_survey(consent_text="")
    reply = _submit(client, survey.slug, answers=answers)
    assert reply.status_code == 400
    assert reply.json()["errors"][f"answers.{field}"] == [message]
    assert not Response.objects.exists()


def test_errors_are_in_english_when_the_client_asks(client):
    survey = published_survey(consent_text="")
    reply = client.post(
        f"/api/v1/public/surveys/{survey.slug}/responses/", {"answers": {"nps": 42}},
        content_type="application/json", HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert reply.json()["errors"]["answers.nps"] == ["Choose a whole number from 0 to 10."]


def test_a_closed_survey_refuses_with_a_clear_message(client):
    from surveys.design.services import survey_close

    survey = survey_close(survey=published_survey(consent_text=""))
    reply = _submit(client, survey.slug, answers={"nps": 9})
    assert reply.status_code == 400
    assert reply.json() == {"detail": "此问卷已关闭。"}


def test_an_unknown_survey_is_404(client):
    assert _submit(client, "no-such-survey", answers={"nps": 9}).status_code == 404


def test_a_survey_with_a_privacy_notice_needs_consent(client):
    survey = published_survey()
    refused = _submit(client, survey.slug, answers={"nps": 9})
    assert refused.status_code == 400
    accepted = _submit(client, survey.slug, answers={"nps": 9}, consent=True)
    assert accepted.status_code == 201
    assert Response.objects.get().consent_version == 1


def test_malformed_json_is_a_400_not_a_500(client):
    survey = published_survey(consent_text="")
    reply = client.post(
        f"/api/v1/public/surveys/{survey.slug}/responses/", "{not json",
        content_type="application/json",
    )  # fmt: skip
    assert reply.status_code == 400


def test_response_submitted_fires_once_after_commit(client, django_capture_on_commit_callbacks):
    survey = published_survey(consent_text="")
    seen = []

    def listener(sender, response_id, **kwargs):
        seen.append(Response.objects.get(pk=response_id).status)

    response_submitted.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            _submit(client, survey.slug, answers={"nps": 6})
    finally:
        response_submitted.disconnect(listener)
    assert seen == ["completed"]


def test_the_response_is_marked_announced_once_listeners_ran(
    client, django_capture_on_commit_callbacks
):
    survey = published_survey(consent_text="")
    with django_capture_on_commit_callbacks(execute=True):
        reply = _submit(client, survey.slug, answers={"nps": 8})
    assert Response.objects.get(pk=reply.json()["id"]).announced_at is not None


def test_the_sweeper_announces_responses_whose_announcement_never_ran():
    import datetime as dt

    from django.utils import timezone

    from surveyhub.celery import app
    from surveys.responding.services import response_submit
    from surveys.responding.tasks import sweep_unannounced_responses

    survey = published_survey(consent_text="")
    app.conf.task_always_eager = False  # with a broker, the request announces nothing itself
    response, _ = response_submit(survey=survey, data={"nps": 4})
    app.conf.task_always_eager = True
    assert Response.objects.get(pk=response.pk).announced_at is None
    Response.objects.filter(pk=response.pk).update(
        completed_at=timezone.now() - dt.timedelta(minutes=10)
    )
    seen = []

    def listener(sender, response_id, **kwargs):
        seen.append(response_id)

    response_submitted.connect(listener)
    try:
        assert sweep_unannounced_responses() == 1
        assert sweep_unannounced_responses() == 0
    finally:
        response_submitted.disconnect(listener)
    assert seen == [response.pk]
