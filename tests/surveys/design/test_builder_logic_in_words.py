"""The builder speaks words: logic as sentences with question titles, the picker by title and
operators in words, keys made for the designer, errors in Chinese and warnings about logic
that can never be true. All through HTTP posts to the builder, as a designer's browser sends."""

import re

import pytest

from surveyhub.security.roles import Role
from tests.factories import UserFactory, published_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def designer(client):
    client.force_login(UserFactory(role=Role.DESIGNER))
    return client


def _add(client, survey, follow=False, **fields):
    data = {"type": "long_text", "text": "题目", "option_order": "fixed", **fields}
    return client.post(f"/staff/surveys/{survey.pk}/questions/", data, follow=follow)


def _card(page: str, key: str) -> str:
    return re.search(rf'<li id="q-{key}" class="question-card"[^>]*>(.*?)</li>', page, re.S)[1]


def _keys(survey):
    return list(survey.current_version.questions.values_list("key", flat=True))


def test_the_cards_say_the_logic_in_a_sentence_with_the_titles_and_option_words(designer):
    survey = published_survey(consent_text="")
    _add(designer, survey, key="why_bad", text="哪里让您失望？", logic_question="reason",
         logic_op="in", logic_value="物流配送")  # fmt: skip
    _add(designer, survey, key="more", text="补充说明", logic_question="comment",
         logic_op="answered")  # fmt: skip

    page = designer.get(f"/staff/surveys/{survey.pk}/").content.decode()

    assert "当「您有多大可能向朋友或同事推荐我们？」≤ 6 时显示" in _card(page, "reason")
    assert "当「您不满意的主要原因是？」选了「物流配送」时显示" in _card(page, "why_bad")
    assert "当「还有什么想告诉我们的吗？」已回答时显示" in _card(page, "more")
    assert "lte" not in _card(page, "reason") and "delivery" not in _card(page, "why_bad")
    assert '<div class="meta">多选 · EN:' in _card(page, "reason")  # the type in words


def test_the_cards_speak_english_on_an_english_page(designer):
    survey = published_survey(consent_text="")
    page = designer.get(f"/staff/surveys/{survey.pk}/", HTTP_ACCEPT_LANGUAGE="en").content
    card = _card(page.decode(), "praise")
    assert "Shown when “How likely are you to recommend us to a friend or colleague?” ≥ 9" in card


def test_the_picker_lists_earlier_questions_by_title_and_operators_in_words(designer):
    survey = published_survey(consent_text="")
    page = designer.get(f"/staff/surveys/{survey.pk}/questions/praise/").content.decode()
    picker = re.search(r'<select name="logic_question".*?</select>', page, re.S).group(0)
    ops = re.search(r'<select name="logic_op".*?</select>', page, re.S).group(0)

    assert '<option value="nps" selected>您有多大可能向朋友或同事推荐我们？</option>' in picker
    assert ">您不满意的主要原因是？</option>" in picker
    assert "还有什么想告诉我们的吗" not in picker  # a later question is not offered
    for word in ("等于", "不等于", "小于", "小于或等于", "大于", "大于或等于", "是以下之一",
                 "已回答"):  # fmt: skip
        assert f">{word}</option>" in ops
    assert ">lte<" not in ops and ">answered<" not in ops


def test_a_choice_condition_is_typed_as_the_options_wording_and_stored_as_its_value(designer):
    survey = published_survey(consent_text="")
    reply = _add(designer, survey, key="fix", logic_question="reason", logic_op="eq",
                 logic_value="物流配送")  # fmt: skip
    assert reply.status_code == 302
    condition = survey.current_version.questions.get(key="fix").show_if
    # A choice answer is a list: "equals" would never hold, so it is stored as "is one of".
    assert condition == {"question": "reason", "op": "in", "value": ["delivery"]}
    edit = designer.get(f"/staff/surveys/{survey.pk}/questions/fix/").content.decode()
    assert 'name="logic_value" value="物流配送"' in edit


def test_a_new_question_without_a_key_gets_one_from_its_type(designer):
    survey = published_survey("service_csat", consent_text="")
    before = _keys(survey)
    assert "nps" not in before and "csat" in before and len(before) == 3
    assert _add(designer, survey, type="nps", text="推荐意愿").status_code == 302
    assert _add(designer, survey, type="csat", text="再问一次满意度").status_code == 302
    assert _add(designer, survey, type="short_text", text="您的城市").status_code == 302
    assert _keys(survey) == [*before, "nps", "q5", "q6"]  # CSAT's own key is taken


def test_the_key_is_in_an_advanced_section_left_empty(designer):
    survey = published_survey(consent_text="")
    page = designer.get(f"/staff/surveys/{survey.pk}/").content.decode()
    advanced = re.search(r'<details class="advanced">(.*?)</details>', page, re.S).group(1)
    assert "高级设置" in advanced and 'name="key"' in advanced
    assert re.search(r'<input type="text" name="key"[^>]*>', advanced)
    assert "value=" not in re.search(r'<input type="text" name="key"[^>]*>', advanced).group(0)


def test_an_edit_with_the_key_left_empty_keeps_the_key(designer):
    survey = published_survey(consent_text="")
    reply = designer.post(f"/staff/surveys/{survey.pk}/questions/comment/", {
        "key": "", "type": "long_text", "text": "其他建议", "option_order": "fixed",
    })  # fmt: skip
    assert reply.status_code == 302
    assert _keys(survey) == ["nps", "reason", "praise", "comment"]


@pytest.mark.parametrize(("fields", "message"), [
    ({"logic_question": "nps", "logic_op": "lte", "logic_value": "六"}, "请填写数字，例如 6。"),
    ({"logic_question": "nps", "logic_op": "gte"}, "请填写要比较的值。"),
    ({"logic_question": "nps", "logic_value": "6"}, "请选择比较方式。"),
    ({"logic_question": "reason", "logic_op": "in", "logic_value": "天气"},
     "「您不满意的主要原因是？」没有选项「天气」；它的选项有：物流配送、产品质量"),
    ({"logic_question": "reason", "logic_op": "gt", "logic_value": "3"},
     "「您不满意的主要原因是？」的答案是选项：请选「是以下之一」。"),
])  # fmt: skip
def test_a_wrong_condition_is_refused_in_chinese_and_nothing_is_added(designer, fields, message):
    survey = published_survey(consent_text="")
    reply = _add(designer, survey, key="extra", **fields)
    assert reply.status_code == 200
    assert message in reply.content.decode()
    assert "extra" not in _keys(survey)


def test_logic_on_a_later_question_is_refused_naming_it(designer):
    survey = published_survey(consent_text="")
    reply = designer.post(f"/staff/surveys/{survey.pk}/questions/reason/", {
        "type": "multiple", "text": "您不满意的主要原因是？", "option_order": "fixed",
        "options": "delivery | 物流配送 | Delivery", "logic_question": "comment",
        "logic_op": "answered",
    })  # fmt: skip
    assert reply.status_code == 200
    later = "「还有什么想告诉我们的吗？」在本题之后：条件只能引用前面的题目。"
    assert later in reply.content.decode()
    assert survey.current_version.questions.get(key="reason").show_if["question"] == "nps"


def test_moving_a_question_above_its_condition_says_why_in_chinese(designer):
    survey = published_survey(consent_text="")
    reply = designer.post(f"/staff/surveys/{survey.pk}/questions/reason/action/",
                          {"action": "up"}, follow=True)  # fmt: skip
    page = reply.content.decode()
    why = "「您不满意的主要原因是？」的显示逻辑无效：它引用的「您有多大可能向朋友或同事推荐我们？」"
    assert why + "在它之后" in page
    assert "must be" not in page and "question must be the key" not in page
    assert _keys(survey) == ["nps", "reason", "praise", "comment"]


def test_logic_that_can_never_be_true_is_saved_with_a_warning(designer):
    survey = published_survey(consent_text="")
    reply = _add(designer, survey, key="never", logic_question="nps", logic_op="gt",
                 logic_value="10", follow=True)  # fmt: skip
    page = reply.content.decode()
    warning = "本题永远不会显示：「您有多大可能向朋友或同事推荐我们？」的答案只在 0 到 10 之间。"
    assert warning in page  # once as the message after saving, once on the card
    assert warning in _card(page, "never")
    assert "本题永远不会显示" not in _card(page, "reason")  # ≤ 6 can be true


def test_a_possible_condition_at_the_scales_end_gets_no_warning(designer):
    survey = published_survey(consent_text="")
    reply = _add(designer, survey, key="top", logic_question="nps", logic_op="gte",
                 logic_value="10", follow=True)  # fmt: skip
    assert "本题永远不会显示" not in reply.content.decode()
    assert "top" in _keys(survey) and reply.redirect_chain  # it was saved
