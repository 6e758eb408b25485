"""Display logic in the designer's words: the operators of the logic picker, the sentence on
each question card ("当「您有多大可能推荐我们？」≤ 6 时显示") and the warnings about a condition
that can never be true. The conditions themselves stay codes (`surveys.design.logic`)."""

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.text import Truncator
from django.utils.translation import get_language, pgettext, pgettext_lazy
from django.utils.translation import gettext as _

from surveys.design.logic import is_group
from surveys.models import QuestionType
from surveys.scoring.rules import CES_SCALE, CSAT_SCALE, NPS_SCALE

OPERATOR_LABELS = {
    "eq": pgettext_lazy("logic operator", "equals"),
    "neq": pgettext_lazy("logic operator", "does not equal"),
    "lt": pgettext_lazy("logic operator", "is less than"),
    "lte": pgettext_lazy("logic operator", "is less than or equal to"),
    "gt": pgettext_lazy("logic operator", "is greater than"),
    "gte": pgettext_lazy("logic operator", "is greater than or equal to"),
    "in": pgettext_lazy("logic operator", "is one of"),
    "answered": pgettext_lazy("logic operator", "is answered"),
}
SYMBOLS = {"eq": "=", "neq": "≠", "lt": "<", "lte": "≤", "gt": ">", "gte": "≥"}
NUMERIC_OPS = {"lt", "lte", "gt", "gte"}
SCALE_RANGES = {
    QuestionType.NPS: NPS_SCALE, QuestionType.CSAT: CSAT_SCALE, QuestionType.CES: CES_SCALE,
    QuestionType.RATING: (1, 5),
}  # fmt: skip
CHOICE_TYPES = {QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.DROPDOWN,
                QuestionType.RANKING, QuestionType.IMAGE_SINGLE,
                QuestionType.IMAGE_MULTIPLE}  # fmt: skip


def question_title(spec: Mapping[str, Any], limit: int = 80) -> str:
    """The question as the designer wrote it, in the page's language when there is one."""
    english = (get_language() or "").startswith("en")
    text = (spec.get("text_en") if english else "") or spec.get("text") or ""
    return Truncator(text).chars(limit)


def _quoted(text: Any) -> str:
    return pgettext("logic quote", "“%(text)s”") % {"text": text}


def _option_label(spec: Mapping[str, Any], value: Any) -> str:
    english = (get_language() or "").startswith("en")
    for option in spec.get("options") or []:
        if str(option.get("value")) == str(value):
            return (english and option.get("label_en")) or option.get("label") or str(value)
    return str(value)


def _values(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def condition_sentence(show_if: Mapping[str, Any] | None, specs: Sequence[Mapping]) -> str:
    """The sentence, e.g. "当「题目」≤ 6 时显示"; empty when the question is always shown."""
    if not show_if:
        return ""
    if is_group(show_if):
        parts = show_if.get("conditions") or []
        if len(parts) == 1:
            return condition_sentence(parts[0], specs)
        return _("Shown when %(clauses)s") % {"clauses": conditions_clause(show_if, specs)}
    target = next((s for s in specs if s.get("key") == show_if.get("question")), None)
    if target is None:
        return _("Shown only when a question that no longer exists is answered")
    title, op, value = question_title(target), show_if.get("op"), show_if.get("value")
    if op == "answered":
        return _("Shown when “%(question)s” is answered") % {"question": title}
    if target.get("type") in CHOICE_TYPES and op in {"eq", "neq", "in"}:
        options = pgettext("logic: between options", " or ").join(
            _quoted(_option_label(target, v)) for v in _values(value)
        )
        if op == "neq":
            return _("Shown when “%(question)s” is not %(options)s") % {
                "question": title, "options": options,
            }  # fmt: skip
        return _("Shown when “%(question)s” is %(options)s") % {
            "question": title, "options": options,
        }  # fmt: skip
    if op == "in":
        values = pgettext("logic: between values", ", ").join(str(v) for v in _values(value))
        return _("Shown when “%(question)s” is one of %(values)s") % {
            "question": title, "values": values,
        }  # fmt: skip
    return _("Shown when “%(question)s” %(symbol)s %(value)s") % {
        "question": title, "symbol": SYMBOLS.get(op, op), "value": value,
    }  # fmt: skip


def conditions_clause(condition: Mapping[str, Any], specs: Sequence[Mapping]) -> str:
    """A condition as a clause, e.g. "「题目」≤ 6 且「城市」已回答" (groups joined by and/or)."""
    if is_group(condition):
        joiner = (pgettext("logic join: any", " or ") if condition.get("match") == "any"
                  else pgettext("logic join: all", " and "))  # fmt: skip
        return joiner.join(conditions_clause(c, specs) for c in condition.get("conditions") or [])
    target = next((s for s in specs if s.get("key") == condition.get("question")), None)
    if target is None:
        return _("a question that no longer exists is answered")
    title, op, value = question_title(target), condition.get("op"), condition.get("value")
    if op == "answered":
        return _("“%(question)s” is answered") % {"question": title}
    if target.get("type") in CHOICE_TYPES and op in {"eq", "neq", "in"}:
        options = pgettext("logic: between options", " or ").join(
            _quoted(_option_label(target, v)) for v in _values(value)
        )
        words = (_("“%(question)s” is not %(options)s") if op == "neq"
                 else _("“%(question)s” is %(options)s"))  # fmt: skip
        return words % {"question": title, "options": options}
    if op == "in":
        values = pgettext("logic: between values", ", ").join(str(v) for v in _values(value))
        return _("“%(question)s” is one of %(values)s") % {"question": title, "values": values}
    return _("“%(question)s” %(symbol)s %(value)s") % {
        "question": title, "symbol": SYMBOLS.get(op, op), "value": value,
    }  # fmt: skip


def jump_sentence(rule: Mapping[str, Any], specs: Sequence[Mapping]) -> str:
    """A skip rule in words: "若「题目」≤ 6，跳到「题目」" or "…，结束问卷"."""
    target = next((s for s in specs if s.get("key") == rule.get("to")), None)
    to = question_title(target) if target else _("a question that no longer exists")
    when = rule.get("when")
    if rule.get("action") == "end":
        if not when:
            return _("After this question, the survey ends")
        return _("When %(clauses)s, the survey ends") % {"clauses": conditions_clause(when, specs)}
    if not when:
        return _("After this question, skip to “%(question)s”") % {"question": to}
    return _("When %(clauses)s, skip to “%(question)s”") % {
        "clauses": conditions_clause(when, specs), "question": to,
    }  # fmt: skip


def _never_group(condition: Mapping[str, Any], specs: Sequence[Mapping]) -> list[str]:
    """Why a group can never hold: one impossible part of "all", every part of "any"."""
    found = [condition_warnings(part, specs) for part in condition.get("conditions") or []]
    if condition.get("match") == "any":
        return [w for ws in found for w in ws] if found and all(found) else []
    return next((ws for ws in found if ws), [])


def jump_warnings(jumps: Sequence[Mapping[str, Any]], specs: Sequence[Mapping]) -> list[str]:
    """Why a skip rule could never be followed (its condition can never be true)."""
    warnings = []
    never = _("This question will never be shown: ")
    for rule in jumps or ():
        for warning in condition_warnings(rule.get("when"), specs):
            warnings.append(_("This skip will never happen: ") + warning.removeprefix(never))
    return warnings


def condition_warnings(show_if: Mapping[str, Any] | None, specs: Sequence[Mapping]) -> list[str]:
    """Why a (valid) condition can never be true, so the question would never be shown."""
    if not show_if:
        return []
    if is_group(show_if):
        return _never_group(show_if, specs)
    target = next((s for s in specs if s.get("key") == show_if.get("question")), None)
    if target is None:
        return []
    op, value, kind = show_if.get("op"), show_if.get("value"), target.get("type")
    title = question_title(target)
    never = _("This question will never be shown: ")
    if kind in SCALE_RANGES and op in NUMERIC_OPS | {"eq", "in"}:
        low, high = SCALE_RANGES[kind]
        numbers = [v for v in _values(value) if isinstance(v, int | float)]
        impossible = {
            "lt": lambda v: v <= low, "lte": lambda v: v < low,
            "gt": lambda v: v >= high, "gte": lambda v: v > high,
            "eq": lambda v: not low <= v <= high, "in": lambda v: not low <= v <= high,
        }[op]  # fmt: skip
        if numbers and len(numbers) == len(_values(value)) and all(map(impossible, numbers)):
            return [never + _("“%(question)s” is answered from %(low)s to %(high)s.") % {
                "question": title, "low": low, "high": high,
            }]  # fmt: skip
    if kind in CHOICE_TYPES:
        if op in NUMERIC_OPS:
            return [never + _("“%(question)s” is answered with options, not a number.") % {
                "question": title}]  # fmt: skip
        known = {str(o.get("value")) for o in target.get("options") or []}
        if op in {"eq", "in"} and not any(str(v) in known for v in _values(value)):
            return [never + _("“%(question)s” has no such option.") % {"question": title}]
        if op == "eq":
            return [never + _("for a choice question use “is one of”.")]
    elif kind not in SCALE_RANGES and op in NUMERIC_OPS and kind != QuestionType.MATRIX:
        return [never + _("“%(question)s” is not answered with a number.") % {"question": title}]
    return []
