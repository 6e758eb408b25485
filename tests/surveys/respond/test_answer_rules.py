"""The answer rules of every question type at their edges, through `response_submit` (the
service behind the public JSON submit; the HTML pages check answers with the same rules).

Scales 0–10 / 1–5 / 1–7 / 1–5 at both ends, text limits at N and N+1 characters, control
characters, consent values, single and multiple choices with "other", required questions
and the messages a respondent reads, in English.
"""

import uuid

import pytest
from django.utils import translation

from surveys.design.services import survey_create, survey_publish
from surveys.errors import SurveyError
from surveys.models import Response, ResponseStatus
from surveys.responding.services import response_submit

pytestmark = pytest.mark.django_db

OPTIONS = [
    {"value": "price", "label": "价格"},
    {"value": "delivery", "label": "配送"},
    {"value": "service", "label": "服务"},
]

QUESTIONS = [
    {"key": "nps", "type": "nps", "text": "推荐吗？"},
    {"key": "csat", "type": "csat", "text": "满意吗？"},
    {"key": "ces", "type": "ces", "text": "容易吗？"},
    {"key": "stars", "type": "rating", "text": "打几星？"},
    {"key": "title", "type": "short_text", "text": "一句话"},
    {"key": "story", "type": "long_text", "text": "说说看", "max_length": 10},
    {"key": "contact_ok", "type": "consent", "text": "可以联系我"},
    {"key": "store", "type": "single", "text": "哪家店？", "options": OPTIONS},
    {"key": "city", "type": "dropdown", "text": "城市", "options": OPTIONS},
    {"key": "reasons", "type": "multiple", "text": "原因", "options": OPTIONS, "allow_other": True},
]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _survey(questions=QUESTIONS, **texts):
    survey = survey_create(
        title="规则", slug=f"rules-{uuid.uuid4().hex[:8]}", kind="custom", questions=questions,
        **texts,
    )  # fmt: skip
    return survey_publish(survey=survey)


@pytest.fixture
def survey():
    return _survey()


def _stored(survey, answers):
    response, created = response_submit(survey=survey, data=answers)
    assert created
    response = Response.objects.get(pk=response.pk)
    return response, {a.question_key: a for a in response.answers.all()}


def _errors(survey, answers) -> dict[str, str]:
    with pytest.raises(SurveyError) as error:
        response_submit(survey=survey, data=answers)
    assert error.value.message == "Some answers are not valid."
    assert not Response.objects.exists()
    return error.value.errors


# Scales ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "low", "high"), [("nps", 0, 10), ("csat", 1, 5), ("ces", 1, 7), ("stars", 1, 5)]
)
def test_a_scale_takes_both_of_its_ends(survey, key, low, high):
    for value in (low, high, str(high), f" {low} ", [low]):
        _, answers = _stored(survey, {key: value})
        assert answers[key].number == int(str(value[0] if isinstance(value, list) else value))
        Response.objects.all().delete()


@pytest.mark.parametrize(
    ("key", "low", "high"), [("nps", 0, 10), ("csat", 1, 5), ("ces", 1, 7), ("stars", 1, 5)]
)
def test_a_scale_refuses_one_past_either_end_saying_its_range(survey, key, low, high):
    message = f"Choose a whole number from {low} to {high}."
    for value in (low - 1, high + 1, "7.5", "seven", True and "1e1"):
        assert _errors(survey, {key: value}) == {key: message}


def test_the_scores_of_the_response_are_the_scale_answers(survey):
    response, _ = _stored(survey, {"nps": 6, "csat": 4, "ces": 2, "stars": 5})

    assert (response.nps_score, response.csat_score, response.ces_score) == (6, 4, 2)
    assert response.status == ResponseStatus.COMPLETED


@pytest.mark.parametrize("blank", [None, "", []])
def test_a_blank_scale_is_no_answer(survey, blank):
    response, answers = _stored(survey, {"nps": blank, "csat": 3})

    assert "nps" not in answers
    assert response.nps_score is None
    assert response.csat_score == 3


# Text ------------------------------------------------------------------------------------


def test_a_short_text_takes_200_characters_and_refuses_201(survey):
    _, answers = _stored(survey, {"title": "好" * 200})
    assert answers["title"].text == "好" * 200
    Response.objects.all().delete()

    assert _errors(survey, {"title": "好" * 201}) == {
        "title": "Please keep this under 200 characters (you wrote 201)."
    }


def test_a_long_text_takes_its_own_limit(survey):
    _, answers = _stored(survey, {"story": "一二三四五六七八九十"})
    assert answers["story"].text == "一二三四五六七八九十"
    Response.objects.all().delete()

    assert _errors(survey, {"story": "一二三四五六七八九十一"}) == {
        "story": "Please keep this under 10 characters (you wrote 11)."
    }


def test_text_is_trimmed_and_loses_control_characters_but_keeps_lines_and_tabs(survey):
    _, answers = _stored(survey, {"story": "  a\x00b\x1fc\nd\te\x07  "})

    assert answers["story"].text == "abc\nd\te"


def test_the_limit_counts_the_cleaned_text(survey):
    _, answers = _stored(survey, {"story": "  一二三四五六七八九十\x00\x01  "})

    assert answers["story"].text == "一二三四五六七八九十"


@pytest.mark.parametrize("blank", ["", "   ", "\x00\x01", None, []])
def test_blank_text_is_no_answer(survey, blank):
    _, answers = _stored(survey, {"nps": 5, "title": blank})

    assert set(answers) == {"nps"}


def test_a_list_given_for_a_text_takes_its_first_value(survey):
    _, answers = _stored(survey, {"title": ["第一", "第二"]})

    assert answers["title"].text == "第一"


def test_a_number_given_for_a_text_is_kept_as_text(survey):
    _, answers = _stored(survey, {"title": 12})

    assert answers["title"].text == "12"


# Consent ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["on", "true", "1", "yes", True, " YES ", "True", ["on"]])
def test_a_ticked_consent_box_is_stored_as_yes(survey, value):
    _, answers = _stored(survey, {"contact_ok": value})

    assert answers["contact_ok"].choices == ["yes"]


@pytest.mark.parametrize("value", ["off", "no", "0", False, "", None, "y"])
def test_an_unticked_consent_box_is_no_answer(survey, value):
    _, answers = _stored(survey, {"nps": 9, "contact_ok": value})

    assert "contact_ok" not in answers


def test_a_required_consent_box_asks_to_be_ticked():
    survey = _survey([{"key": "ok", "type": "consent", "text": "同意", "required": True}])

    assert _errors(survey, {"ok": "no"}) == {"ok": "Please tick this box to continue."}


# Choices ---------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["store", "city"])
def test_a_single_choice_takes_one_option(survey, key):
    for value in ("delivery", ["delivery"]):
        _, answers = _stored(survey, {key: value})
        assert answers[key].choices == ["delivery"]
        Response.objects.all().delete()


@pytest.mark.parametrize("key", ["store", "city"])
def test_a_single_choice_refuses_two_options(survey, key):
    assert _errors(survey, {key: ["price", "delivery"]}) == {key: "Choose only one option."}


def test_a_multiple_choice_takes_several_options_once_each_in_order(survey):
    _, answers = _stored(survey, {"reasons": ["service", "price", "service", ""]})

    assert answers["reasons"].choices == ["service", "price"]
    assert answers["reasons"].other_text == ""


def test_an_unknown_option_is_named_cut_to_50_characters(survey):
    assert _errors(survey, {"reasons": ["price", "x" * 80]}) == {
        "reasons": f"“{'x' * 50}” is not one of the options."
    }
    assert _errors(survey, {"store": "teleport"}) == {
        "store": "“teleport” is not one of the options."
    }


def test_other_is_an_option_only_where_allowed(survey):
    assert _errors(survey, {"store": "__other__", "store_other": "别处"}) == {
        "store": "“__other__” is not one of the options."
    }


def test_other_needs_its_text(survey):
    assert _errors(survey, {"reasons": ["__other__"]}) == {
        "reasons": "Please say what “other” means."
    }
    assert _errors(survey, {"reasons": ["__other__"], "reasons_other": " \x00 "}) == {
        "reasons": "Please say what “other” means."
    }


def test_other_with_its_text_is_stored_trimmed(survey):
    _, answers = _stored(survey, {"reasons": ["price", "__other__"], "reasons_other": [" 包装 "]})

    assert answers["reasons"].choices == ["price", "__other__"]
    assert answers["reasons"].other_text == "包装"


def test_the_other_text_takes_500_characters_and_refuses_501(survey):
    _, answers = _stored(survey, {"reasons": ["__other__"], "reasons_other": "好" * 500})
    assert answers["reasons"].other_text == "好" * 500
    Response.objects.all().delete()

    assert _errors(survey, {"reasons": ["__other__"], "reasons_other": "好" * 501}) == {
        "reasons": "Please keep this under 500 characters (you wrote 501)."
    }


def test_an_other_text_typed_without_ticking_other_ticks_it(survey):
    _, answers = _stored(survey, {"reasons": ["price"], "reasons_other": " 包装 "})

    assert answers["reasons"].choices == ["price", "__other__"]
    assert answers["reasons"].other_text == "包装"


def test_an_other_text_alone_is_the_answer_other(survey):
    _, answers = _stored(survey, {"nps": 7, "reasons_other": "包装"})

    assert answers["reasons"].choices == ["__other__"]
    assert answers["reasons"].other_text == "包装"


def test_an_other_text_where_other_is_not_offered_is_ignored(survey):
    _, answers = _stored(survey, {"store": "price", "store_other": "别处"})

    assert answers["store"].choices == ["price"]
    assert answers["store"].other_text == ""


def test_a_single_choice_with_an_option_and_an_other_text_asks_to_choose_one():
    survey = _survey(
        [{"key": "shop", "type": "single", "text": "哪家店？", "options": OPTIONS,
          "allow_other": True}]
    )  # fmt: skip

    assert _errors(survey, {"shop": "price", "shop_other": "网店"}) == {
        "shop": "You wrote under “other” but chose another option: choose one."
    }
    _, answers = _stored(survey, {"shop": "__other__", "shop_other": "网店"})
    assert (answers["shop"].choices, answers["shop"].other_text) == (["__other__"], "网店")


@pytest.mark.parametrize("blank", [None, "", [], [""]])
def test_a_blank_choice_is_no_answer(survey, blank):
    _, answers = _stored(survey, {"nps": 7, "store": blank, "reasons": blank})

    assert set(answers) == {"nps"}


def test_numbers_match_option_values_as_text():
    survey = _survey(
        [
            {
                "key": "size",
                "type": "single",
                "text": "几人？",
                "options": [{"value": "2", "label": "两人"}, {"value": "4", "label": "四人"}],
            }
        ]
    )

    _, answers = _stored(survey, {"size": 4})

    assert answers["size"].choices == ["4"]


# Required questions and logic ------------------------------------------------------------


def test_a_required_question_left_blank_needs_an_answer():
    survey = _survey(
        [
            {"key": "nps", "type": "nps", "text": "推荐吗？", "required": True},
            {"key": "why", "type": "short_text", "text": "为什么？", "required": True},
        ]
    )

    assert _errors(survey, {"nps": 3}) == {"why": "This question needs an answer."}
    assert _errors(survey, {"nps": 3, "why": "  "}) == {"why": "This question needs an answer."}


def test_a_wrong_answer_to_a_required_question_reports_the_wrong_answer_only():
    survey = _survey([{"key": "nps", "type": "nps", "text": "推荐吗？", "required": True}])

    assert _errors(survey, {"nps": 11}) == {"nps": "Choose a whole number from 0 to 10."}


def test_a_required_question_hidden_by_logic_is_not_required():
    survey = _survey(
        [
            {"key": "nps", "type": "nps", "text": "推荐吗？", "required": True},
            {
                "key": "why",
                "type": "short_text",
                "text": "哪里不好？",
                "required": True,
                "show_if": {"question": "nps", "op": "lte", "value": 6},
            },
        ]
    )

    _, answers = _stored(survey, {"nps": 9})
    assert set(answers) == {"nps"}
    Response.objects.all().delete()
    assert _errors(survey, {"nps": 6}) == {"why": "This question needs an answer."}


def test_unknown_keys_are_each_named(survey):
    assert _errors(survey, {"nps": 5, "colour": "red", "nps_other": "x", "zz": 1}) == {
        "colour": "There is no such question in this survey.",
        "zz": "There is no such question in this survey.",
    }


def test_every_wrong_answer_is_reported_at_once(survey):
    errors = _errors(survey, {"nps": -1, "store": ["price", "service"], "title": "长" * 201})

    assert sorted(errors) == ["nps", "store", "title"]
