"""Display logic and page splitting. Pure: works on any objects with question attributes.

A question shows when its `show_if` condition holds for the answers given so far:
{"question": "nps", "op": "lte", "value": 6}. Pages break before a question whose
condition depends on a question of the same page, so without JavaScript the
server can decide what the next page shows.
"""

from collections.abc import Mapping, Sequence
from typing import Any

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


def condition_errors(show_if: Any, earlier_keys: Sequence[str]) -> list[str]:
    """Problems with a condition, as plain English for the designer-facing validators."""
    if show_if in (None, {}):
        return []
    if not isinstance(show_if, Mapping):
        return ["must be an object"]
    problems = []
    if show_if.get("question") not in earlier_keys:
        problems.append("question must be the key of an earlier question")
    if show_if.get("op") not in OPERATORS:
        problems.append(f"op must be one of {', '.join(OPERATORS)}")
    op, value = show_if.get("op"), show_if.get("value")
    if op in {"lt", "lte", "gt", "gte"} and _num(value) is None:
        problems.append("value must be a number")
    if op == "in" and not isinstance(value, list):
        problems.append("value must be a list")
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
