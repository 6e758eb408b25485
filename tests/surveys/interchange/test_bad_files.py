"""Bad survey files: every problem named by its place, in Chinese, all at once — and not one
row written (the whole import is one transaction)."""

import io
import json

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from surveyhub.api.tokens import api_token_create
from surveyhub.security.roles import Role
from tests.factories import UserFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db]


def _document(questions, **survey):
    return {
        "format": "surveyhub.survey",
        "version": 1,
        "survey": {"title": "坏文件", "slug": "bad-file", "kind": "custom", **survey},
        "questions": questions,
        "branding": None,
        "images": {},
    }


GOOD = {"key": "nps", "type": "nps", "text": "推荐吗？"}


@pytest.fixture
def api():
    client = APIClient()
    designer = UserFactory(role=Role.DESIGNER)
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=designer)[1]}")
    return client


def _rows() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def _import(api, document):
    body = document if isinstance(document, bytes) else json.dumps(document).encode()
    before = _rows()
    reply = api.post("/api/v1/surveys/import/", body, content_type="application/json")
    assert _rows() == before  # nothing half-imported
    assert reply.status_code == 400, reply.content.decode()
    return reply.json()


def test_unknown_types_are_listed_all_at_once(api):
    found = _import(
        api,
        _document(
            [
                GOOD,
                {"key": "a", "type": "signature", "text": "签名"},
                {"key": "b", "type": "long_text", "text": "意见"},
                {"key": "c", "type": "video", "text": "录像"},
            ]
        ),
    )
    assert found["detail"] == (
        "文件中有本系统不支持的题型：第 2 题（a）“signature”；第 4 题（c）“video”。未导入任何内容。"
    )
    assert found["errors"]["questions.1.type"] == ["第 2 题（a）：无法识别的题型“signature”。"]
    assert found["errors"]["questions.3.type"] == ["第 4 题（c）：无法识别的题型“video”。"]


def test_a_duplicate_key_names_both_questions(api):
    found = _import(
        api,
        _document(
            [
                GOOD,
                {"key": "x", "type": "short_text", "text": "一"},
                {"key": "nps", "type": "csat", "text": "二"},
            ]
        ),
    )
    assert found["errors"]["questions.2.key"] == ["题目标识“nps”重复：第 1、3 题。"]


def test_logic_on_a_later_or_a_deleted_question_is_named(api):
    found = _import(
        api,
        _document(
            [
                GOOD,
                {
                    "key": "why",
                    "type": "long_text",
                    "text": "为什么？",
                    "show_if": {"question": "later", "op": "answered"},
                },
                {"key": "later", "type": "short_text", "text": "稍后"},
                {
                    "key": "gone",
                    "type": "short_text",
                    "text": "已删除",
                    "show_if": {"question": "deleted_one", "op": "eq", "value": 1},
                },
            ]
        ),
    )
    assert found["errors"]["questions.1.show_if"] == [
        "第 2 题（why）：显示条件引用的“later”不在本题之前。"
    ]
    assert found["errors"]["questions.3.show_if"] == [
        "第 4 题（gone）：显示条件引用了“deleted_one”，问卷中没有这道题。"
    ]
    assert found["detail"] == "文件有 2 处问题，未导入任何内容。"


def test_invalid_json_says_where(api):
    found = _import(api, b'{"format": "surveyhub.survey",\n "version": 1,,}')
    assert "第 2 行" in found["detail"]


def test_duplicate_members_in_one_object_are_refused(api):
    found = _import(api, b'{"format": "surveyhub.survey", "format": "x"}')
    assert "“format”" in found["detail"]


def test_a_rule_of_the_builder_is_named_by_its_place_and_rolls_everything_back(api):
    found = _import(
        api, _document([GOOD, {"key": "pick", "type": "single", "text": "选一个", "options": []}])
    )
    assert found["errors"]["questions.1.options"][0].startswith("第 2 题（pick）：")


def test_wrong_kinds_of_values_are_named_not_a_server_error(api):
    found = _import(
        api,
        _document(
            [
                {
                    **GOOD,
                    "required": "yes",
                    "text": "长" * 501,
                    "max_length": 10**12,
                    "options": "a,b",
                }
            ]
        ),
    )
    assert set(found["errors"]) >= {
        "questions.0.required",
        "questions.0.text",
        "questions.0.max_length",
        "questions.0.options",
    }


def test_a_file_of_another_kind_or_version(api):
    assert "SurveyJS" in _import(api, {"format": "other"})["detail"]
    assert _import(api, {**_document([GOOD]), "version": 2})["detail"] == (
        "不支持格式版本 2；本系统读取版本 1。"
    )
    assert _import(api, [1, 2])["detail"] == "文件内容应为一个 JSON 对象 {…}。"


def test_the_staff_page_lists_the_problems(client):
    client.force_login(UserFactory(role=Role.DESIGNER))
    upload = io.BytesIO(
        json.dumps(_document([{"key": "a", "type": "video", "text": "录像"}])).encode()
    )
    upload.name = "bad.json"
    before = _rows()
    reply = client.post("/staff/surveys/import/", {"file": upload})
    page = reply.content.decode()
    assert reply.status_code == 400
    assert "第 1 题（a）：无法识别的题型“video”。" in page
    assert _rows() == before


def test_a_file_that_is_not_utf8_is_refused_by_the_page(client):
    client.force_login(UserFactory(role=Role.DESIGNER))
    upload = io.BytesIO(json.dumps({"survey": "问卷"}, ensure_ascii=False).encode("gbk"))
    upload.name = "gbk.json"
    reply = client.post("/staff/surveys/import/", {"file": upload})
    assert reply.status_code == 400
    assert "文件不是有效的 JSON" in reply.content.decode()


def test_the_command_lists_the_problems_and_imports_nothing(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(_document([GOOD, {"key": "a", "type": "video", "text": "录像"}])))
    before = _rows()
    with pytest.raises(CommandError) as refused:
        call_command("import_survey", str(path))
    assert "第 2 题（a）：无法识别的题型“video”。" in str(refused.value)
    assert _rows() == before


ODD_BODIES = [
    b"null",
    b'"text"',
    b"42",
    b'{"pages": 5, "elements": [{"type": {"x": 1}, "name": ["a"]}]}',
    b'{"elements": [{"type": "matrix", "name": "m", "rows": ["a"], "columns": 5}, 7]}',
    b'{"questions": [{"type": "rating", "name": "r", "rateMin": "x", "rateMax": []}]}',
    b'{"format": "surveyhub.survey", "version": 1, "survey": {"title": "t", "kind": "nps",'
    b' "languages": [{"a": 1}]}, "questions": [{"key": 5, "type": "single", "options": 3}],'
    b' "branding": {"logo": 7}, "images": {"abc": 1}}',
]


@pytest.mark.parametrize("body", ODD_BODIES)
def test_odd_json_is_refused_with_a_message_never_a_server_error(api, body):
    found = _import(api, body)
    assert found["detail"]
