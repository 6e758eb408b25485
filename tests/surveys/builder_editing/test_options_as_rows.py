"""Options are typed as rows (Chinese, English); the value is made for the designer and kept
when the wording changes, so answers already collected still count."""

import re

import pytest

from tests.factories import published_survey
from tests.surveys.builder_editing.conftest import FRAGMENT, keys_of

pytestmark = pytest.mark.django_db


def _rows(*pairs):
    data = {}
    for index, (zh, en, *value) in enumerate(pairs):
        data[f"option_label_{index}"] = zh
        data[f"option_label_en_{index}"] = en
        data[f"option_value_{index}"] = value[0] if value else ""
    return data


def test_a_new_choice_question_gets_values_from_its_rows(designer):
    survey = published_survey(consent_text="")
    reply = designer.post(f"/staff/surveys/{survey.pk}/questions/", {
        "type": "single", "text": "您常用哪个平台购物？", "option_order": "fixed",
        **_rows(("淘宝", "Taobao"), ("京東（繁體）", ""), ("", ""), ("拼多多🛒", "Pinduoduo")),
    }, **FRAGMENT)  # fmt: skip

    assert reply["X-Builder-Swap"] == "list"
    question = survey.current_version.questions.get(key=keys_of(survey)[-1])
    assert question.options == [
        {"value": "taobao", "label": "淘宝", "label_en": "Taobao"},
        {"value": "o2", "label": "京東（繁體）", "label_en": ""},
        {"value": "pinduoduo", "label": "拼多多🛒", "label_en": "Pinduoduo"},
    ]


def test_the_edit_form_shows_rows_and_keeps_values_when_the_wording_changes(designer):
    survey = published_survey(consent_text="")
    form = designer.get(f"/staff/surveys/{survey.pk}/questions/reason/", **FRAGMENT)
    html = form.content.decode()
    assert form["X-Builder-Swap"] == "form" and "<html" not in html
    assert 'name="option_label_0" value="物流配送"' in html
    assert 'name="option_value_0" value="delivery"' in html
    assert "值 | 中文 | English" not in html and not re.search(r'<textarea name="options"', html)

    reply = designer.post(f"/staff/surveys/{survey.pk}/questions/reason/", {
        "type": "multiple", "text": "您不满意的主要原因是？", "option_order": "fixed",
        "allow_other": "on", "logic_question": "nps", "logic_op": "lte", "logic_value": "6",
        **_rows(("快递太慢", "Slow delivery", "delivery"), ("产品质量", "Quality", "quality")),
    }, **FRAGMENT)  # fmt: skip

    assert reply["X-Builder-Swap"] == "list"
    options = survey.current_version.questions.get(key="reason").options
    assert options[0] == {"value": "delivery", "label": "快递太慢", "label_en": "Slow delivery"}
    assert [o["value"] for o in options] == ["delivery", "quality"]


def test_a_row_with_only_english_is_refused_in_chinese_and_nothing_is_added(designer):
    survey = published_survey(consent_text="")
    reply = designer.post(f"/staff/surveys/{survey.pk}/questions/", {
        "type": "single", "text": "城市", "option_order": "fixed",
        **_rows(("上海", "Shanghai"), ("", "Beijing")),
    }, **FRAGMENT)  # fmt: skip
    assert reply["X-Builder-Swap"] == "form"
    html = reply.content.decode()
    assert "第 2 个选项：请填写中文内容。" in html
    assert 'value="Beijing"' in html  # what was typed is still there
    assert keys_of(survey) == ["nps", "reason", "praise", "comment"]
