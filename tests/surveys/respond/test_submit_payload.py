"""The public submit reads a plainly well-formed body without building a DRF serializer
(`surveys/responding/submit_payload.py`); it must take exactly what the serializer takes and
give what the serializer gives, and leave everything else to the serializer's own errors."""

import json
import uuid

import pytest

from surveys.api.serializers import PublicSubmitSerializer
from surveys.models import Response
from surveys.responding.device import device_key
from surveys.responding.submit_payload import submit_payload
from tests.factories import published_survey

SID = "6f1c0b5e-8a4e-4c1f-9a53-2b7d0e6c9f10"
ANSWERS = {"nps": 4, "reason": ["delivery", "other"], "reason_other": "客服態度差😤", "x": None}

TAKEN = [
    {"answers": ANSWERS},
    {"answers": {}, "channel": "in_page", "language": "en", "consent": True},
    {"answers": ANSWERS, "submission_id": SID, "device_id": "dev-悦".encode().hex()[:16]},
    {"answers": ANSWERS, "submission_id": SID.replace("-", "").upper()},
    {"answers": ANSWERS, "store": "上海南京西路店 🏬", "channel": "wechat", "unknown": [1]},
    {"answers": ANSWERS, "store": "店" * 64, "consent": False, "channel": "qr"},
]
LEFT_TO_THE_SERIALIZER = [
    [],
    {"answers": []},
    {"answers": ANSWERS, "submission_id": 12345},
    {"answers": ANSWERS, "submission_id": ""},
    {"answers": ANSWERS, "submission_id": "not-a-uuid"},
    {"answers": ANSWERS, "channel": "sms"},
    {"answers": ANSWERS, "channel": None},
    {"answers": ANSWERS, "language": "zh-hant"},
    {"answers": ANSWERS, "device_id": "short"},
    {"answers": ANSWERS, "device_id": " padded-device-id "},
    {"answers": ANSWERS, "store": " 前后有空格 "},
    {"answers": ANSWERS, "store": "店" * 65},
    {"answers": ANSWERS, "store": "tab\there"},
    {"answers": ANSWERS, "store": 42},
    {"answers": ANSWERS, "consent": "true"},
    {"answers": ANSWERS, "consent": 1},
]


@pytest.mark.parametrize("body", TAKEN)
def test_a_well_formed_body_is_read_exactly_as_the_serializer_reads_it(body):
    serializer = PublicSubmitSerializer(data=body)
    assert serializer.is_valid(), serializer.errors

    assert submit_payload(body) == dict(serializer.validated_data)


@pytest.mark.parametrize("body", LEFT_TO_THE_SERIALIZER)
def test_anything_unusual_is_left_to_the_serializer(body):
    assert submit_payload(body) is None


def post(client, survey, body):
    return client.post(
        f"/api/v1/public/surveys/{survey.slug}/responses/",
        json.dumps(body, ensure_ascii=False), content_type="application/json",
    )  # fmt: skip


@pytest.mark.django_db
def test_a_fast_read_submit_stores_every_field(client):
    survey = published_survey(consent_text="", slug="fast-nps")
    device = "app-install-0001"
    body = {"answers": {"nps": 9, "comment": "物流很快，包裝完好👍"}, "submission_id": SID,
            "channel": "wechat", "store": "杭州西湖店", "language": "en",
            "device_id": device}  # fmt: skip

    sent = post(client, survey, body)

    assert sent.status_code == 201
    response = Response.objects.get()
    assert (response.submission_id, response.channel, response.store, response.language) == (
        uuid.UUID(SID), "wechat", "杭州西湖店", "en")  # fmt: skip
    assert (response.nps_score, response.status, response.device_key) == (
        9, "completed", device_key(device))  # fmt: skip
    assert response.answers.get(question_key="comment").text == "物流很快，包裝完好👍"


@pytest.mark.django_db
def test_a_body_left_to_the_serializer_gets_its_chinese_error_naming_the_field(client):
    survey = published_survey(consent_text="", slug="slow-nps")
    body = {"answers": {"nps": 9}, "channel": "短信"}

    sent = post(client, survey, body)

    assert sent.status_code == 400
    assert list(sent.json()["errors"]) == ["channel"]
    assert sent.json()["errors"]["channel"] == ["“短信” 不是合法选项。"]
    assert Response.objects.count() == 0
