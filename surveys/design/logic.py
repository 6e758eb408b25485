"""Display logic and page splitting. Pure: works on any objects with question attributes.

A question shows when its `show_if` condition holds for the answers given so far:
{"question": "nps", "op": "lte", "value": 6}. Pages break before a question whose
condition depends on a question of the same page, so without JavaScript the
server can decide what the next page shows.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

OPERATORS = {
    "eq": lambda a, v: a == v,
    "neq": lambda a, v: a != v,
    "lt": lambda a, v: _num(a) is not None and _num(a) < v,
    "lte": lambda a, v: _num(a) is not None and _num(a) <= v,
    "gt": lambda a, v: _num(a) is not None and _num(a) > v,
    "gte": lambda a, v: _num(a) is not None and _num(a) >= v,
    "in": lambda a, v: (set(a) & set(v)) if isinstance(a, list) else a in v,
    "answered": lambda a, v: a not in (None, "", []),
}


def _num(value: Any) -> float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def condition_errors(
    show_if: Any, earlier_keys: Sequence[str], titles: Mapping[str, str] | None = None
) -> list[str]:
    """Problems with a condition, in the designer's language; `titles` (key → question text of
    every question) lets a condition on a later question say which one it is."""
    if show_if in (None, {}):
        return []
    if not isinstance(show_if, Mapping):
        return [_("the condition must be an object")]
    problems = []
    question = show_if.get("question")
    if question not in earlier_keys:
        if titles and question in titles:
            problems.append(
                _("it refers to “%(question)s”, which comes after it; a condition may only "
                  "refer to an earlier question") % {"question": titles[question]}
            )  # fmt: skip
        else:
            problems.append(_("it refers to a question that does not exist"))
    if show_if.get("op") not in OPERATORS:
        problems.append(_("the comparison must be one of: %(ops)s") % {"ops": ", ".join(OPERATORS)})
    op, value = show_if.get("op"), show_if.get("value")
    if op in {"lt", "lte", "gt", "gte"} and _num(value) is None:
        problems.append(_("the value must be a number"))
    if op == "in" and not isinstance(value, list):
        problems.append(_("the value must be a list"))
    return problems


def is_visible(question: Any, answers: Mapping[str, Any]) -> bool:
    condition = question.show_if
    if not condition:
        return True
    test = OPERATORS.get(condition.get("op"))
    if test is None:
        return True
    answer = answers.get(condition.get("question"))
    if condition.get("op") != "answered" and answer in (None, "", []):
        return False
    return bool(test(answer, condition.get("value")))


def visible_questions(questions: Sequence[Any], answers: Mapping[str, Any]) -> list[Any]:
    """Questions to show given the answers; a question hidden by logic hides its dependants."""
    shown: list[Any] = []
    shown_keys: set[str] = set()
    for question in questions:
        depends_on = (question.show_if or {}).get("question")
        if depends_on and depends_on not in shown_keys:
            continue
        if is_visible(question, answers):
            shown.append(question)
            shown_keys.add(question.key)
    return shown


def split_pages(questions: Sequence[Any]) -> list[list[Any]]:
    """Group questions into pages; a page ends before a question that depends on one on it."""
    pages: list[list[Any]] = [[]]
    for question in questions:
        depends_on = (question.show_if or {}).get("question")
        if depends_on and any(q.key == depends_on for q in pages[-1]):
            pages.append([])
        pages[-1].append(question)
    return [page for page in pages if page]
