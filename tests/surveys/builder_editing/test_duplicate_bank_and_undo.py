"""Duplicate a question, keep one in the question bank and reuse it in another survey, and
undo the last changes one by one."""

import pytest

from surveys.models import QuestionBankItem, QuestionsSnapshot
from tests.factories import published_survey
from tests.surveys.builder_editing.conftest import FRAGMENT, keys_of

pytestmark = pytest.mark.django_db


def _act(client, survey, key, action, **headers):
    url = f"/staff/surveys/{survey.pk}/questions/{key}/action/"
    return client.post(url, {"action": action}, **headers)


def test_a_duplicate_comes_right_after_its_original_with_a_key_of_its_own(designer):
    survey = published_survey(consent_text="")
    reply = _act(designer, survey, "reason", "duplicate", **FRAGMENT)

    assert "题目已复制。" in reply.content.decode()
    assert keys_of(survey) == ["nps", "reason", "q5", "praise", "comment"]
    copy = survey.current_version.questions.get(key="q5")
    original = survey.current_version.questions.get(key="reason")
    assert (copy.text, copy.options, copy.show_if) == (
        original.text, original.options, original.show_if)  # fmt: skip


def test_a_duplicated_skip_about_its_own_question_is_about_the_copy(designer):
    survey = published_survey(consent_text="")
    rule = {"when": {"op": "gte", "value": 9}, "action": "skip", "to": "comment"}
    from surveys.design.services import question_change

    question_change(survey=survey, key="nps", changes={"jumps": [rule]})
    _act(designer, survey, "nps", "duplicate")

    copy = survey.current_version.questions.get(key="q5")
    assert copy.jumps == [{"when": {"op": "gte", "value": 9, "question": "q5"},
                           "action": "skip", "to": "comment"}]  # fmt: skip


def test_a_question_kept_in_the_bank_is_added_to_another_survey_without_its_logic(designer):
    first = published_survey(consent_text="")
    second = published_survey("service_csat", consent_text="")
    saved = _act(designer, first, "reason", "bank", **FRAGMENT)
    assert "已存入题库。" in saved.content.decode()
    item = QuestionBankItem.objects.get()
    assert item.text == "您不满意的主要原因是？" and "show_if" not in item.spec

    page = designer.get(f"/staff/surveys/{second.pk}/").content.decode()
    assert "题库 (1)" in page and "您不满意的主要原因是？" in page
    reply = designer.post(f"/staff/surveys/{second.pk}/bank/insert/", {"item": item.pk}, **FRAGMENT)

    assert "已从题库添加题目。" in reply.content.decode()
    added = second.current_version.questions.order_by("-position").first()
    assert added.text == "您不满意的主要原因是？" and added.show_if is None
    assert [o["label"] for o in added.options][:2] == ["物流配送", "产品质量"]
    assert keys_of(second)[-1] == added.key == "q4"  # a key of its own in this survey


def test_a_question_removed_from_the_bank_cannot_be_inserted(designer):
    survey = published_survey(consent_text="")
    _act(designer, survey, "comment", "bank")
    item = QuestionBankItem.objects.get()
    designer.post(f"/staff/surveys/{survey.pk}/bank/remove/", {"item": item.pk})
    reply = designer.post(f"/staff/surveys/{survey.pk}/bank/insert/", {"item": item.pk}, **FRAGMENT)
    assert "这道题已不在题库中。" in reply.content.decode()
    assert keys_of(survey) == ["nps", "reason", "praise", "comment"]


def test_undo_takes_back_the_last_changes_newest_first(designer):
    survey = published_survey(consent_text="")
    _act(designer, survey, "praise", "delete")
    _act(designer, survey, "comment", "duplicate")
    assert keys_of(survey) == ["nps", "reason", "comment", "q4"]

    page = designer.get(f"/staff/surveys/{survey.pk}/").content.decode()
    assert "撤销复制题目" in page
    first = designer.post(f"/staff/surveys/{survey.pk}/undo/", **FRAGMENT)
    assert "已撤销：复制题目。" in first.content.decode()
    assert keys_of(survey) == ["nps", "reason", "comment"]
    designer.post(f"/staff/surveys/{survey.pk}/undo/", **FRAGMENT)
    assert keys_of(survey) == ["nps", "reason", "praise", "comment"]
    restored = survey.current_version.questions.get(key="praise")
    assert restored.show_if == {"question": "nps", "op": "gte", "value": 9}

    nothing = designer.post(f"/staff/surveys/{survey.pk}/undo/", **FRAGMENT)
    assert "没有可以撤销的改动。" in nothing.content.decode()
    assert not QuestionsSnapshot.objects.filter(survey=survey).exists()


def test_a_refused_change_leaves_nothing_to_undo(designer):
    survey = published_survey(consent_text="")
    refused = _act(designer, survey, "nps", "delete", **FRAGMENT)  # reason and praise use it
    assert "它引用的题目不存在" in refused.content.decode()
    assert keys_of(survey) == ["nps", "reason", "praise", "comment"]
    assert not QuestionsSnapshot.objects.filter(survey=survey).exists()


def test_only_the_last_twenty_changes_are_kept(designer):
    survey = published_survey(consent_text="")
    for turn in range(23):
        _act(designer, survey, "comment", "up" if turn % 2 == 0 else "down")
    assert QuestionsSnapshot.objects.filter(survey=survey).count() == 20


def test_a_move_that_changes_nothing_leaves_nothing_to_undo(designer):
    survey = published_survey(consent_text="")
    _act(designer, survey, "comment", "down")  # already the last
    assert not QuestionsSnapshot.objects.filter(survey=survey).exists()
