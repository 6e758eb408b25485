"""The single-statement write path used on PostgreSQL outside a transaction (production)."""

import uuid

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone

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
    """The response row is valid and goes first; the LAST answer row is refused by the
    database (a question that does not exist). One statement: nothing at all is stored."""
    from psycopg.errors import ForeignKeyViolation

    from surveys.models import Answer, Question
    from surveys.responding.answers import CleanAnswer
    from surveys.responding.rows import fast_path_available, insert_completed

    survey = published_survey(consent_text="")
    nps = survey.current_version.questions.get(key="nps")
    now = timezone.now()
    response = Response(survey=survey, version=survey.current_version, channel="api",
                        status="completed", nps_score=2, completed_at=now)  # fmt: skip
    missing_question = Question.objects.order_by("-id").first().id + 999
    rows = [(nps.pk, "nps", CleanAnswer(number=2)),
            (missing_question, "ghost", CleanAnswer(number=1))]  # fmt: skip
    assert fast_path_available()  # the single statement, not the ORM's transaction

    with pytest.raises(IntegrityError, match="violates foreign key constraint") as refused:
        insert_completed(response, rows)

    assert isinstance(refused.value.__cause__, ForeignKeyViolation)
    assert "surveys_answer" in str(refused.value)  # the answer row was refused, not the response
    assert not Response.objects.exists()
    assert not Answer.objects.exists()


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
    assert refused.json()["errors"]["answers.city"] == ["这个问题需要回答。"]
    assert accepted.status_code == 201
    stored = Response.objects.get(pk=accepted.json()["id"])
    assert stored.version.number == 2
    assert stored.answers.get(question_key="city").text == "杭州"
