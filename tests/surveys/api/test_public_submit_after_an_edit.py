"""A survey edited while respondents answer it: the next submit is judged by the survey as it
is now, not by the copy the public submit cached before the edit.

Transactional (committed, as in production): the per-process survey cache is only used there.
Before the fix, a submit that the edit made valid was refused with 400 from the stale copy —
the customer's answer was lost.
"""

import pytest

from surveys.design.services import question_add, question_delete, survey_update
from surveys.models import Response
from tests.factories import published_survey

pytestmark = pytest.mark.django_db(transaction=True)


def _submit(client, slug, **body):
    return client.post(
        f"/api/v1/public/surveys/{slug}/responses/",
        body,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )


def test_a_required_question_deleted_after_a_submit_is_no_longer_required(client):
    survey = published_survey(consent_text="")
    question_add(
        survey=survey,
        spec={"key": "city", "type": "short_text", "text": "您在哪个城市？", "required": True},
    )
    first = _submit(client, survey.slug, answers={"nps": 9, "city": "深圳"})
    assert first.status_code == 201, first.json()

    refused = _submit(client, survey.slug, answers={"nps": 8})
    assert refused.status_code == 400  # still required: the cache is right to refuse
    assert list(refused.json()["errors"]) == ["answers.city"]

    question_delete(survey=survey, key="city")
    reply = _submit(client, survey.slug, answers={"nps": 10, "comment": "很好 👍"})

    assert reply.status_code == 201, reply.json()
    assert Response.objects.filter(survey=survey).count() == 2


def test_a_consent_requirement_dropped_after_a_submit_no_longer_refuses(client):
    survey = published_survey()
    assert survey.current_version.consent_text
    first = _submit(client, survey.slug, answers={"nps": 9}, consent=True)
    assert first.status_code == 201, first.json()

    survey_update(survey=survey, consent_text="", consent_text_en="")
    reply = _submit(client, survey.slug, answers={"nps": 4, "comment": "物流太慢"})

    assert reply.status_code == 201, reply.json()
    assert Response.objects.get(pk=reply.json()["id"]).consent_text_id is None


def test_a_consent_requirement_added_after_a_submit_is_enforced(client):
    survey = published_survey(consent_text="")
    assert _submit(client, survey.slug, answers={"nps": 9}).status_code == 201

    survey_update(survey=survey, consent_text="我们会按隐私声明处理您的回答。")
    refused = _submit(client, survey.slug, answers={"nps": 7})

    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["consent"]
    assert Response.objects.filter(survey=survey).count() == 1
