"""Display logic in the designer's words: the operators of the logic picker, the sentence on
each question card ("当「您有多大可能推荐我们？」≤ 6 时显示") and the warnings about a condition
that can never be true. The conditions themselves stay codes (`surveys.design.logic`)."""

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.text import Truncator
from django.utils.translation import get_language, pgettext, pgettext_lazy
from django.utils.translation import gettext as _

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


def condition_warnings(show_if: Mapping[str, Any] | None, specs: Sequence[Mapping]) -> list[str]:
    """Why a (valid) condition can never be true, so the question would never be shown."""
    if not show_if:
        return []
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
