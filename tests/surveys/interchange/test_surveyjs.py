"""SurveyJS JSON in: the types we have are mapped, the logic follows, and whatever we cannot
take is listed by place and name with nothing imported."""

import json

import pytest
from rest_framework.test import APIClient

from surveyhub.api.tokens import api_token_create
from surveyhub.security.roles import Role
from surveys.models import Survey
from tests.factories import UserFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db]

SURVEYJS = {
    "title": {"default": "售后服务调查", "en": "After-sales survey"},
    "description": "感谢您抽空作答 🙏",
    "completedHtml": "<h3>謝謝您的回饋！</h3>",
    "pages": [
        {
            "name": "page1",
            "elements": [
                {
                    "type": "rating",
                    "name": "nps_score",
                    "title": "您会向朋友推荐我们吗？",
                    "isRequired": True,
                    "rateMin": 0,
                    "rateMax": 10,
                },
                {
                    "type": "checkbox",
                    "name": "why",
                    "title": {"default": "原因？", "en": "Why?"},
                    "visibleIf": "{nps_score} <= 6",
                    "hasOther": True,
                    "choicesOrder": "random",
                    "choices": [
                        {"value": "price", "text": {"default": "价格", "en": "Price"}},
                        "服务",
                    ],
                },
                {
                    "type": "panel",
                    "name": "more",
                    "elements": [
                        {
                            "type": "radiogroup",
                            "name": "Channel",
                            "title": "购买渠道",
                            "choices": ["tmall", "jd"],
                        },
                        {
                            "type": "comment",
                            "name": "detail",
                            "title": "详细说说",
                            "visibleIf": "{Channel} = 'jd'",
                            "maxLength": 300,
                        },
                    ],
                },
            ],
        },
        {
            "name": "page2",
            "elements": [
                {"type": "rating", "name": "stars", "title": "打个分", "rateType": "smileys"},
                {"type": "rating", "name": "effort", "title": "办事容易吗？", "rateMax": 7},
                {
                    "type": "rating",
                    "name": "wide",
                    "title": "0–100",
                    "rateMin": 0,
                    "rateMax": 100,
                    "rateStep": 10,
                },
                {"type": "boolean", "name": "again", "title": "还会再买吗？"},
                {
                    "type": "dropdown",
                    "name": "city",
                    "title": "城市",
                    "choices": ["北京", "上海"],
                    "visibleIf": "{again} = true",
                },
                {"type": "text", "name": "when", "title": "购买日期", "inputType": "date"},
                {"type": "text", "name": "email", "title": "邮箱", "inputType": "email"},
                {
                    "type": "matrix",
                    "name": "grid",
                    "title": "各项评分",
                    "columns": [1, 2, 3, 4, 5],
                    "rows": ["包装", "配送"],
                },
                {"type": "ranking", "name": "rank", "title": "排序", "choices": ["a", "b", "c"]},
                {
                    "type": "tagbox",
                    "name": "tags",
                    "title": "标签",
                    "choices": ["x", "y"],
                    "visibleIf": "{why} anyof ['price']",
                },
            ],
        },
    ],
}


@pytest.fixture
def api():
    client = APIClient()
    designer = UserFactory(role=Role.DESIGNER)
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=designer)[1]}")
    return client


def _post(api, document):
    return api.post(
        "/api/v1/surveys/import/", json.dumps(document).encode(), content_type="application/json"
    )


def test_a_surveyjs_survey_becomes_a_draft_with_our_types_and_logic(api):
    reply = _post(api, SURVEYJS)
    assert reply.status_code == 201, reply.content.decode()
    body = reply.json()
    assert body["source"] == "surveyjs"
    assert body["warnings"] == ["第 7 题（wide）：0 到 100 的评分已导入为滑块题。"]
    survey = Survey.objects.get(pk=body["id"])
    assert (survey.title, survey.title_en, survey.kind, survey.slug) == (
        "售后服务调查",
        "After-sales survey",
        "nps",
        "after-sales-survey",
    )
    assert survey.current_version.thank_you == "謝謝您的回饋！"
    questions = {q.key: q for q in survey.current_version.questions.all()}
    assert {k: q.type for k, q in questions.items()} == {
        "nps_score": "nps",
        "why": "multiple",
        "channel": "single",
        "detail": "long_text",
        "stars": "rating",
        "effort": "ces",
        "wide": "slider",
        "again": "single",
        "city": "dropdown",
        "when": "date",
        "email": "short_text",
        "grid": "matrix",
        "rank": "ranking",
        "tags": "multiple",
    }
    assert questions["nps_score"].required is True
    assert questions["why"].show_if == {"question": "nps_score", "op": "lte", "value": 6}
    assert questions["why"].options[0] == {"value": "price", "label": "价格", "label_en": "Price"}
    assert questions["why"].allow_other and questions["why"].option_order == "random"
    assert questions["detail"].show_if == {"question": "channel", "op": "in", "value": ["jd"]}
    assert questions["detail"].max_length == 300
    assert questions["city"].show_if == {"question": "again", "op": "in", "value": ["true"]}
    assert questions["tags"].show_if == {"question": "why", "op": "in", "value": ["price"]}
    assert questions["stars"].scale_style == "faces"
    assert questions["wide"].config["max"] == 100 and questions["wide"].config["step"] == 10


def test_what_cannot_be_taken_is_listed_and_nothing_is_imported(api):
    document = {
        "pages": [
            {
                "elements": [
                    {"type": "html", "name": "banner", "html": "<b>hi</b>"},
                    {"type": "rating", "name": "nps", "rateMin": 0, "rateMax": 10},
                    {"type": "signaturepad", "name": "sign"},
                    {"type": "text", "name": "x", "visibleIf": "{nps} > 8 and {nps} < 10"},
                    {"type": "text", "name": "nps"},
                ]
            }
        ]
    }
    reply = _post(api, document)
    assert reply.status_code == 400
    found = reply.json()
    assert found["detail"] == (
        "文件中有本系统不支持的题型：第 1 题（banner）“html”；"
        "第 3 题（sign）“signaturepad”。未导入任何内容。"
    )
    assert found["errors"]["questions.3.show_if"][0].startswith("第 4 题（x）：无法识别显示条件")
    assert found["errors"]["questions.4.key"] == ["第 5 题（nps）：名称“nps”与前面的题目重复。"]
    assert not Survey.objects.exists()
