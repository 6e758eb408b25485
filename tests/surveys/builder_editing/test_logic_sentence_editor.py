"""The logic editor in sentences: several conditions joined by "all" (且) or "any" (或), and a
skip rule (skip to a later question, or end the survey), read back on the cards in words."""

import re

import pytest

from tests.factories import published_survey
from tests.surveys.builder_editing.conftest import FRAGMENT

pytestmark = pytest.mark.django_db


def _card(page: str, key: str) -> str:
    return re.search(rf'<li id="q-{key}" class="question-card"[^>]*>(.*?)</li>', page, re.S)[1]


def _add(client, survey, **fields):
    data = {"type": "long_text", "text": "请说说原因", "option_order": "fixed", **fields}
    return client.post(f"/staff/surveys/{survey.pk}/questions/", data, **FRAGMENT)


def test_an_any_group_is_stored_and_read_as_a_sentence_with_or(designer):
    survey = published_survey(consent_text="")
    reply = _add(designer, survey, key="why", logic_match="any",
                 logic_question="nps", logic_op="lte", logic_value="6",
                 logic_question_1="reason", logic_op_1="in",
                 logic_value_1="物流配送，价格")  # fmt: skip

    assert survey.current_version.questions.get(key="why").show_if == {
        "match": "any", "conditions": [
            {"question": "nps", "op": "lte", "value": 6},
            {"question": "reason", "op": "in", "value": ["delivery", "price"]},
        ]}  # fmt: skip
    card = _card(reply.content.decode(), "why")
    assert ("当「您有多大可能向朋友或同事推荐我们？」≤ 6，或「您不满意的主要原因是？」选了"
            "「物流配送」或「价格」时显示") in card  # fmt: skip


def test_an_all_group_reads_with_and_and_warns_when_one_part_can_never_hold(designer):
    survey = published_survey(consent_text="")
    reply = _add(designer, survey, key="odd", logic_match="all",
                 logic_question="nps", logic_op="gt", logic_value="10",
                 logic_question_2="comment", logic_op_2="answered")  # fmt: skip
    card = _card(reply.content.decode(), "odd")
    assert "，且「还有什么想告诉我们的吗？」已回答时显示" in card
    assert (
        "本题永远不会显示：「您有多大可能向朋友或同事推荐我们？」的答案只在 0 到 10 之间。" in card
    )


def test_the_edit_form_shows_a_stored_group_in_its_rows(designer):
    survey = published_survey(consent_text="")
    _add(designer, survey, key="why", logic_match="any", logic_question="nps", logic_op="lte",
         logic_value="6", logic_question_1="reason", logic_op_1="in",
         logic_value_1="价格")  # fmt: skip
    html = designer.get(f"/staff/surveys/{survey.pk}/questions/why/").content.decode()
    assert re.search(r'<select name="logic_match"[^>]*>.*?<option value="any" selected>任一',
                     html, re.S)  # fmt: skip
    assert re.search(r'<select name="logic_question_1"[^>]*>.*?<option value="reason" selected>',
                     html, re.S)  # fmt: skip
    assert 'name="logic_value_1" value="价格"' in html  # the option's wording, not its value


def test_a_skip_to_a_later_question_is_saved_and_said_on_the_card(designer):
    survey = published_survey(consent_text="")
    reply = designer.post(f"/staff/surveys/{survey.pk}/questions/nps/", {
        "type": "nps", "text": "您有多大可能向朋友或同事推荐我们？", "option_order": "fixed",
        "required": "on", "jump_action": "skip", "jump_to": "comment",
        "jump_question": "__this__", "jump_op": "gte", "jump_value": "9",
    }, **FRAGMENT)  # fmt: skip

    assert reply["X-Builder-Swap"] == "list"
    nps = survey.current_version.questions.get(key="nps")
    assert nps.jumps == [{"when": {"op": "gte", "value": 9, "question": "nps"},
                          "action": "skip", "to": "comment"}]  # fmt: skip
    card = _card(reply.content.decode(), "nps")
    assert "若「您有多大可能向朋友或同事推荐我们？」≥ 9，跳到「还有什么想告诉我们的吗？」" in card


def test_end_the_survey_without_a_condition(designer):
    survey = published_survey(consent_text="")
    reply = designer.post(f"/staff/surveys/{survey.pk}/questions/praise/", {
        "type": "long_text", "text": "您最喜欢我们什么？", "option_order": "fixed",
        "logic_question": "nps", "logic_op": "gte", "logic_value": "9", "jump_action": "end",
    }, **FRAGMENT)  # fmt: skip
    assert survey.current_version.questions.get(key="praise").jumps == [
        {"when": None, "action": "end"}]  # fmt: skip
    assert "答完本题后结束问卷" in _card(reply.content.decode(), "praise")


def test_a_skip_backward_is_refused_in_chinese_and_nothing_changes(designer):
    survey = published_survey(consent_text="")
    reply = designer.post(f"/staff/surveys/{survey.pk}/questions/praise/", {
        "type": "long_text", "text": "您最喜欢我们什么？", "option_order": "fixed",
        "jump_action": "skip", "jump_to": "nps",
    }, **FRAGMENT)  # fmt: skip
    assert reply["X-Builder-Swap"] == "form"
    assert "「您有多大可能向朋友或同事推荐我们？」在本题之前：跳转只能向后，跳到后面的题目。" in (
        reply.content.decode())  # fmt: skip
    assert survey.current_version.questions.get(key="praise").jumps == []


def test_a_skip_with_no_target_is_refused(designer):
    survey = published_survey(consent_text="")
    reply = designer.post(f"/staff/surveys/{survey.pk}/questions/praise/", {
        "type": "long_text", "text": "您最喜欢我们什么？", "option_order": "fixed",
        "jump_action": "skip",
    })  # fmt: skip
    assert reply.status_code == 200 and "请选择要跳到的题目。" in reply.content.decode()


def test_a_skip_condition_on_a_new_question_is_about_that_question(designer):
    survey = published_survey(consent_text="")
    reply = _add(designer, survey, type="single", text="愿意参加回访吗？", key="",
                 option_label_0="愿意", option_label_en_0="Yes",
                 option_label_1="不愿意", option_label_en_1="No",
                 jump_action="end", jump_question="__this__", jump_op="in",
                 jump_value="不愿意")  # fmt: skip
    assert reply["X-Builder-Swap"] == "list"
    added = survey.current_version.questions.order_by("-position").first()
    assert added.jumps == [{"when": {"op": "in", "value": ["no"], "question": added.key},
                            "action": "end"}]  # fmt: skip
    assert "若「愿意参加回访吗？」选了「不愿意」，结束问卷" in reply.content.decode()
