"""The API reads and writes skip logic and AND/OR groups; a skip backward is refused whole."""

import pytest

pytestmark = pytest.mark.django_db

SURVEY = {
    "title": "门店服务评价", "slug": "store-skips", "kind": "csat",
    "questions": [
        {"key": "csat", "type": "csat", "required": True, "text": "您对门店服务满意吗？",
         "jumps": [{"when": {"op": "gte", "value": 4}, "action": "end"}]},
        {"key": "why", "type": "long_text", "text": "哪里需要改进？",
         "show_if": {"match": "all", "conditions": [
             {"question": "csat", "op": "lte", "value": 2},
             {"question": "csat", "op": "answered"}]}},
    ],
}  # fmt: skip


def test_skip_logic_and_groups_are_stored_and_read_back(designer):
    reply = designer.post("/api/v1/surveys/", SURVEY, content_type="application/json")
    assert reply.status_code == 201, reply.json()
    first, second = reply.json()["questions"]
    assert first["jumps"] == [{"when": {"op": "gte", "value": 4, "question": "csat"},
                               "action": "end"}]  # fmt: skip
    assert second["show_if"]["match"] == "all" and len(second["show_if"]["conditions"]) == 2


def test_a_skip_backward_is_refused_and_nothing_is_created(designer):
    backward = {**SURVEY, "questions": [
        SURVEY["questions"][0],
        {**SURVEY["questions"][1], "jumps": [{"when": None, "action": "skip", "to": "csat"}]},
    ]}  # fmt: skip
    reply = designer.post("/api/v1/surveys/", backward, content_type="application/json")
    assert reply.status_code == 400
    assert "跳回到「您对门店服务满意吗？」" in str(reply.json())
    assert designer.get("/api/v1/surveys/").json()["count"] == 0
