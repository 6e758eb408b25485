"""The single-statement insert of the public submit passes the response and its answers as
two JSON parameters (PostgreSQL reads them into the tables' own column types): every column
arrives as it was, consent and device included, on the real production path."""

import uuid

import pytest
from django.db import connection

from surveys.models import Response
from surveys.responding.device import device_key
from surveys.responding.services import response_submit
from tests.factories import published_survey

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_every_column_of_a_consented_response_arrives_intact():
    assert connection.vendor == "postgresql" and not connection.in_atomic_block
    survey = published_survey(consent_text="我同意按隐私声明处理我的回答。")
    submission = uuid.uuid4()
    response, created = response_submit(
        survey=survey, submission_id=submission, channel="in_page", store="北京朝阳店 🏬",
        source={"utm": "短信", "nested": {"a": [1, 2]}}, language="en", consent_given=True,
        device_key=device_key("device-0001"),
        data={"nps": 0, "reason": ["__other__"], "reason_other": '說"太慢"了\\n', "comment": "👎"},
    )  # fmt: skip

    assert created
    stored = Response.objects.get(pk=response.pk)
    assert (stored.submission_id, stored.channel, stored.store, stored.language) == (
        submission, "in_page", "北京朝阳店 🏬", "en")  # fmt: skip
    assert stored.source == {"utm": "短信", "nested": {"a": [1, 2]}}
    assert (stored.nps_score, stored.csat_score, stored.ces_score) == (0, None, None)
    assert stored.consent_version == survey.current_version.number
    assert stored.consent_text_id is not None and stored.consented_at == stored.completed_at
    assert stored.device_key == device_key("device-0001") and len(stored.device_key) == 64
    assert stored.respondent_key is not None and stored.started_at == stored.completed_at
    answers = {a.question_key: a for a in stored.answers.all()}
    assert answers["reason"].choices == ["__other__"]
    assert answers["reason"].other_text == '說"太慢"了\\n'
    assert answers["comment"].text == "👎"
    assert answers["nps"].number == 0 and answers["nps"].question_id is not None
