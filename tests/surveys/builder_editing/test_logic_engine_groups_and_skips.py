"""The logic engine: AND/OR groups, skip-to and end-survey rules, and the pages they make.
Conditions stored before groups existed (one comparison) behave exactly as before."""

from types import SimpleNamespace

from surveys.design.logic import (
    condition_errors,
    jump_errors,
    split_pages,
    visible_questions,
)


def q(key, show_if=None, jumps=()):
    return SimpleNamespace(key=key, show_if=show_if, jumps=list(jumps))


def keys(questions):
    return [question.key for question in questions]


NPS_LOW = {"question": "nps", "op": "lte", "value": 6}
CITY_SH = {"question": "city", "op": "in", "value": ["sh"]}


def test_a_single_stored_condition_still_works_as_before():
    survey = [q("nps"), q("why", NPS_LOW), q("more", {"question": "why", "op": "answered"})]
    assert keys(visible_questions(survey, {"nps": 3, "why": "太慢"})) == ["nps", "why", "more"]
    # A question hidden by its logic hides its dependants, even with an answer kept.
    assert keys(visible_questions(survey, {"nps": 9, "why": "太慢"})) == ["nps"]


def test_an_all_group_needs_every_condition_and_an_any_group_one():
    both = {"match": "all", "conditions": [NPS_LOW, CITY_SH]}
    either = {"match": "any", "conditions": [NPS_LOW, CITY_SH]}
    survey = [q("nps"), q("city"), q("both", both), q("either", either)]
    assert keys(visible_questions(survey, {"nps": 3, "city": ["sh"]})) == [
        "nps", "city", "both", "either"]  # fmt: skip
    assert keys(visible_questions(survey, {"nps": 3, "city": ["bj"]})) == ["nps", "city", "either"]
    assert keys(visible_questions(survey, {"nps": 9, "city": ["bj"]})) == ["nps", "city"]


def test_a_condition_on_a_skipped_question_does_not_hold():
    survey = [q("nps", jumps=[{"when": None, "action": "skip", "to": "end"}]), q("city"),
              q("about_city", {"match": "any", "conditions": [CITY_SH]}), q("end")]  # fmt: skip
    assert keys(visible_questions(survey, {"nps": 3, "city": ["sh"]})) == ["nps", "end"]


def test_a_skip_leaves_out_the_questions_in_between_only_when_it_holds():
    rule = {"when": {"question": "nps", "op": "gte", "value": 9}, "action": "skip", "to": "thanks"}
    survey = [q("nps", jumps=[rule]), q("why"), q("fix"), q("thanks")]
    assert keys(visible_questions(survey, {"nps": 10})) == ["nps", "thanks"]
    assert keys(visible_questions(survey, {"nps": 4})) == ["nps", "why", "fix", "thanks"]
    assert keys(visible_questions(survey, {})) == ["nps", "why", "fix", "thanks"]


def test_a_rule_without_a_question_is_about_its_own_question():
    rule = {"when": {"op": "lte", "value": 2}, "action": "end"}
    survey = [q("nps", jumps=[rule]), q("why")]
    assert keys(visible_questions(survey, {"nps": 1})) == ["nps"]
    assert keys(visible_questions(survey, {"nps": 5})) == ["nps", "why"]


def test_end_survey_stops_everything_after_it():
    rule = {"when": {"question": "consent", "op": "eq", "value": "no"}, "action": "end"}
    survey = [q("consent", jumps=[rule]), q("a"), q("b", NPS_LOW)]
    assert keys(visible_questions(survey, {"consent": "no", "nps": 1})) == ["consent"]


def test_pages_break_after_a_question_with_skip_logic_and_before_a_dependant():
    rule = {"when": None, "action": "end"}
    group = {"match": "all", "conditions": [{"question": "b", "op": "answered"}]}
    survey = [q("a"), q("b", jumps=[rule]), q("c"), q("d", group), q("e")]
    assert [keys(page) for page in split_pages(survey)] == [["a", "b"], ["c", "d", "e"]]
    survey = [q("a"), q("b"), q("c", {"match": "any", "conditions": [
        {"question": "x", "op": "answered"}, {"question": "b", "op": "answered"}]})]  # fmt: skip
    assert [keys(page) for page in split_pages(survey)] == [["a", "b"], ["c"]]


def test_a_group_on_a_later_question_is_refused_naming_it():
    group = {"match": "any", "conditions": [NPS_LOW, {"question": "late", "op": "answered"}]}
    problems = condition_errors(group, ["nps"], {"nps": "推荐", "late": "稍后的题目🙂"})
    assert problems == ["它引用的「稍后的题目🙂」在它之后；条件只能引用前面的题目"]
    assert condition_errors({"match": "most", "conditions": [NPS_LOW]}, ["nps"])
    assert condition_errors({"match": "all", "conditions": []}, ["nps"])


def test_a_skip_backward_or_to_a_deleted_question_is_refused():
    back = [{"when": None, "action": "skip", "to": "a"}]
    assert jump_errors(back, "b", ["a"], ["c"], {"a": "第一题"}) == [
        "它跳回到「第一题」；跳转只能向后，跳到后面的题目"]  # fmt: skip
    gone = [{"when": None, "action": "skip", "to": "zz"}]
    assert jump_errors(gone, "b", ["a"], ["c"]) == ["它跳到一道不存在的题目"]
    assert jump_errors([{"when": None, "action": "fly"}], "b", ["a"], ["c"])
    assert jump_errors([{"when": None, "action": "skip", "to": "c"}], "b", ["a"], ["c"]) == []
