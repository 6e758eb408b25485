"""The single-statement write path used on PostgreSQL outside a transaction (production)."""

import uuid

import pytest
from django.db import connection

from surveys.models import Response
from surveys.responding import response_submit
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
    from surveys.models import Answer, Question
    from surveys.response_rows import insert_completed

    response = Response(survey=survey, version=survey.current_version, channel="api",
                        status="completed")  # fmt: skip
    ghost = Answer(question_id=Question.objects.order_by("-id").first().id + 999,
                   question_key="ghost", number=1)  # fmt: skip
    with pytest.raises(Exception):  # noqa: B017 (the database refuses the foreign key)
        insert_completed(response, [ghost])
    assert not Response.objects.exists()
