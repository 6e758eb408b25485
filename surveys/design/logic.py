"""Display logic, skip logic and page splitting. Pure: works on any objects with question
attributes (`key`, `show_if`, and `jumps` when a question has skip logic).

A question shows when its `show_if` condition holds for the answers given so far. A condition
is one comparison, {"question": "nps", "op": "lte", "value": 6}, or a group of them,
{"match": "all" | "any", "conditions": [...]}. A condition on a question that is not shown
(hidden by its own logic, or skipped) does not hold.

Skip logic sits on the question it follows: `jumps` = [{"when": condition or None,
"action": "skip", "to": "q7"} | {"when": ..., "action": "end"}]; after the question, the first
rule that holds skips to a later question (the ones between are not asked) or ends the survey.
A condition of a rule without "question" is about the question itself.

Pages break before a question whose condition depends on a question of the same page, and
after a question with skip logic, so without JavaScript the server can decide what the next
page shows.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
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
MATCHES = ("all", "any")
ACTIONS = ("skip", "end")


def _num(value: Any) -> float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def is_group(condition: Any) -> bool:
    return isinstance(condition, Mapping) and "conditions" in condition


def leaves(condition: Any) -> list[Mapping[str, Any]]:
    """The single comparisons of a condition, groups opened."""
    if not condition:
        return []
    if is_group(condition):
        return [leaf for part in condition.get("conditions") or () for leaf in leaves(part)]
    return [condition] if isinstance(condition, Mapping) else []


def condition_keys(condition: Any) -> set[str]:
    """The questions a condition refers to."""
    return {leaf.get("question") for leaf in leaves(condition) if leaf.get("question")}


def condition_errors(
    show_if: Any, earlier_keys: Sequence[str], titles: Mapping[str, str] | None = None
) -> list[str]:
    """Problems with a condition, in the designer's language; `titles` (key → question text of
    every question) lets a condition on a later question say which one it is."""
    if show_if in (None, {}):
        return []
    if not isinstance(show_if, Mapping):
        return [_("the condition must be an object")]
    if is_group(show_if):
        parts = show_if.get("conditions")
        if show_if.get("match") not in MATCHES:
            return [_("a group of conditions must match “all” or “any”")]
        if not isinstance(parts, list) or not parts:
            return [_("a group of conditions needs at least one condition")]
        problems: list[str] = []
        for part in parts:
            problems += [
                p for p in condition_errors(part, earlier_keys, titles) if p not in problems
            ]
        return problems
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


def jump_errors(
    jumps: Any, key: str, earlier_keys: Sequence[str], later_keys: Sequence[str],
    titles: Mapping[str, str] | None = None,
) -> list[str]:  # fmt: skip
    """Problems with a question's skip logic: its conditions may use this question and earlier
    ones; a skip must go forward, to a question after this one."""
    if jumps in (None, []):
        return []
    if not isinstance(jumps, list) or not all(isinstance(j, Mapping) for j in jumps):
        return [_("the skip logic must be a list of rules")]
    titles = titles or {}
    problems: list[str] = []
    for rule in jumps:
        found = condition_errors(_about(rule.get("when"), key), [*earlier_keys, key], titles)
        if rule.get("action") not in ACTIONS:
            found.append(_("a rule must skip to a question or end the survey"))
        elif rule.get("action") == "skip" and rule.get("to") not in later_keys:
            to = rule.get("to")
            if to == key or to in earlier_keys:
                found.append(_("it skips back to “%(question)s”; a skip may only go forward, to "
                               "a later question") % {"question": titles.get(to, to)})  # fmt: skip
            else:
                found.append(_("it skips to a question that does not exist"))
        problems += [p for p in found if p not in problems]
    return problems


def _about(condition: Any, key: str) -> Any:
    """A rule's condition with "this question" (no "question" given) filled in."""
    if not condition or not isinstance(condition, Mapping):
        return condition
    if is_group(condition):
        return {**condition, "conditions": [_about(c, key) for c in condition["conditions"]]}
    return condition if condition.get("question") else {**condition, "question": key}


def jumps_about(jumps: Iterable[Mapping[str, Any]], key: str) -> list[dict[str, Any]]:
    """Skip rules with "this question" written out as `key` (how they are stored)."""
    return [{**rule, "when": _about(rule.get("when"), key)} for rule in jumps or ()]


def condition_holds(condition: Any, answer_of: Callable[[str], Any]) -> bool:
    """Whether a condition holds; `answer_of(key)` is the answer, None when not given."""
    if not condition:
        return True
    if is_group(condition):
        results = (condition_holds(part, answer_of) for part in condition.get("conditions") or ())
        return any(results) if condition.get("match") == "any" else all(results)
    test = OPERATORS.get(condition.get("op"))
    if test is None:
        return True
    answer = answer_of(condition.get("question"))
    if condition.get("op") != "answered" and answer in (None, "", []):
        return False
    return bool(test(answer, condition.get("value")))


def is_visible(question: Any, answers: Mapping[str, Any]) -> bool:
    return condition_holds(question.show_if, answers.get)


def _jump_of(question: Any, answer_of: Callable[[str], Any]) -> Mapping[str, Any] | None:
    for rule in getattr(question, "jumps", None) or ():
        if condition_holds(_about(rule.get("when"), question.key), answer_of):
            return rule
    return None


def visible_questions(questions: Sequence[Any], answers: Mapping[str, Any]) -> list[Any]:
    """Questions to show given the answers; a question hidden by logic (or skipped) hides its
    dependants; skip logic leaves out the questions it jumps over, or all after an end."""
    shown: list[Any] = []
    shown_keys: set[str] = set()

    def answer_of(key: str) -> Any:
        return answers.get(key) if key in shown_keys else None

    skip_to: str | None = None
    for question in questions:
        if skip_to is not None:
            if question.key != skip_to:
                continue
            skip_to = None
        if not condition_holds(question.show_if, answer_of):
            continue
        shown.append(question)
        shown_keys.add(question.key)
        rule = _jump_of(question, answer_of)
        if rule is not None:
            if rule.get("action") == "end":
                break
            skip_to = rule.get("to")
    return shown


def split_pages(questions: Sequence[Any]) -> list[list[Any]]:
    """Group questions into pages; a page ends before a question that depends on one on it,
    and after a question with skip logic."""
    pages: list[list[Any]] = [[]]
    for question in questions:
        depends_on = condition_keys(question.show_if)
        if depends_on and any(q.key in depends_on for q in pages[-1]):
            pages.append([])
        pages[-1].append(question)
        if getattr(question, "jumps", None):
            pages.append([])
    return [page for page in pages if page]
