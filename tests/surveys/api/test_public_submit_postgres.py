"""The single-statement write path used on PostgreSQL outside a transaction (production)."""

import uuid

import pytest
from django.db import connection

from surveys.models import Response
from surveys.responding.services import response_submit
from tests.factories import published_survey

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_response_and_its_answers_are_written_in_one_statement():
    assert connection.vendor == "postgresql"
    survey = published_survey(consent_text="")
    response, created = response_submit(
        survey=survey, data={"nps": 2, "reason": ["price", "__other__"],
                             "reason_other": "运费太贵", "comment": "包装破了😢 O'Neil \\ test"},
        channel="wechat", store="SH01", source={"c": "wechat"},
    )  # fmt: skip
    assert created
    stored = Response.objects.get(pk=response.pk)
    assert (stored.status, stored.nps_score, stored.channel) == ("completed", 2, "wechat")
    assert stored.source == {"c": "wechat"}
    assert stored.started_at == stored.completed_at
    answers = {a.question_key: a for a in stored.answers.all()}
    assert answers["reason"].choices == ["price", "__other__"]
    assert answers["reason"].other_text == "运费太贵"
    assert answers["comment"].text == "包装破了😢 O'Neil \\ test"
    assert answers["nps"].number == 2


def test_a_duplicate_submission_id_leaves_exactly_one_response():
    survey = published_survey(consent_text="")
    submission = uuid.uuid4()
    first, created_first = response_submit(survey=survey, data={"nps": 9}, submission_id=submission)
    again, created_again = response_submit(survey=survey, data={"nps": 9}, submission_id=submission)
    assert (created_first, created_again) == (True, False)
    assert first.pk == again.pk
    assert Response.objects.count() == 1


def test_a_failing_answer_row_stores_no_response_either():
    survey = published_survey(consent_text="")
    from surveys.models import Question
    from surveys.responding.answers import CleanAnswer
    from surveys.responding.rows import insert_completed

    response = Response(survey=survey, version=survey.current_version, channel="api",
                        status="completed")  # fmt: skip
    missing_question = Question.objects.order_by("-id").first().id + 999
    ghost = (missing_question, "ghost", CleanAnswer(number=1))
    with pytest.raises(Exception):  # noqa: B017 (the database refuses the foreign key)
        insert_completed(response, [ghost])
    assert not Response.objects.exists()


def _post(client, slug, answers):
    return client.post(
        f"/api/v1/public/surveys/{slug}/responses/", {"answers": answers},
        content_type="application/json",
    )  # fmt: skip


def test_a_survey_closed_after_it_was_cached_refuses_the_next_answer(client):
    from surveys.design.services import survey_close

    survey = published_survey(slug="cached-close", consent_text="")
    assert _post(client, survey.slug, {"nps": 9}).status_code == 201  # now cached
    survey_close(survey=survey)

    reply = _post(client, survey.slug, {"nps": 9})

    assert reply.status_code == 400
    assert reply.json() == {"detail": "此问卷已关闭。"}
    assert Response.objects.count() == 1


def test_a_survey_edited_after_it_was_cached_checks_answers_against_the_new_version(client):
    from surveys.design.services import question_add

    survey = published_survey(slug="cached-edit", consent_text="")
    assert _post(client, survey.slug, {"nps": 9}).status_code == 201  # cached, version 1
    question_add(
        survey=survey,
        spec={"key": "city", "type": "short_text", "text": "城市", "required": True},
    )

    refused = _post(client, survey.slug, {"nps": 9})
    accepted = _post(client, survey.slug, {"nps": 9, "city": "杭州"})

    assert refused.status_code == 400
    assert refused.json()["answers"]["city"] == ["这个问题需要回答。"]
    assert accepted.status_code == 201
    stored = Response.objects.get(pk=accepted.json()["id"])
    assert stored.version.number == 2
    assert stored.answers.get(question_key="city").text == "杭州"
