"""The logic part of the question form, written as sentences: "当 [题目] [≤] [6] 时显示", up to
LOGIC_ROWS conditions joined by "all" (且) or "any" (或); and one skip rule: "答完本题后，若 [题目]
[≤] [6]，[跳到/结束问卷] [题目]". The first condition row keeps its old field names
(logic_question, logic_op, logic_value), so forms posted before groups existed still work."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from surveys.design.logic import OPERATORS, is_group, leaves
from surveys.design.logic_words import (
    CHOICE_TYPES,
    NUMERIC_OPS,
    OPERATOR_LABELS,
    SCALE_RANGES,
    question_title,
)

LOGIC_ROWS = 4
THIS = "__this__"  # the skip rule's condition is about the question being edited
OP_CHOICES = [("", "—")] + [(op, OPERATOR_LABELS[op]) for op in OPERATORS]


def row_names(index: int) -> tuple[str, str, str]:
    suffix = "" if index == 0 else f"_{index}"
    return f"logic_question{suffix}", f"logic_op{suffix}", f"logic_value{suffix}"


JUMP_NAMES = ("jump_question", "jump_op", "jump_value")
LOGIC_FIELD_NAMES = {"logic_match", "jump_action", "jump_to", *JUMP_NAMES} | {
    name for index in range(LOGIC_ROWS) for name in row_names(index)
}


def _value_field():
    return forms.CharField(
        label=_("Value"), required=False, max_length=200,
        help_text=_("A number, or an option of a choice question (its wording); several "
                    "separated by commas for “is one of”."),
    )  # fmt: skip


class LogicFieldsMixin(forms.Form):
    logic_match = forms.ChoiceField(
        label=_("Conditions to meet"), required=False, initial="all",
        choices=[("all", pgettext_lazy("logic match", "all of them")),
                 ("any", pgettext_lazy("logic match", "any of them"))],
    )  # fmt: skip
    jump_action = forms.ChoiceField(
        label=_("After this question"), required=False,
        choices=[("", _("go on to the next question")), ("skip", _("skip to")),
                 ("end", _("end the survey"))],
    )  # fmt: skip
    jump_to = forms.ChoiceField(label=_("Skip to"), required=False)
    jump_question = forms.ChoiceField(
        label=pgettext_lazy("logic condition", "When"), required=False
    )
    jump_op = forms.ChoiceField(label=_("Condition"), required=False, choices=OP_CHOICES)
    jump_value = _value_field()

    def add_logic_fields(self) -> None:
        """The condition rows and the pickers, which list questions by their titles: earlier
        ones for conditions, later ones to skip to. A question not offered but posted anyway
        gets a clear error, not "invalid choice"."""
        everyone = [(q["key"], question_title(q, 60)) for q in self.questions]
        earlier = [(q["key"], question_title(q, 60)) for q in self.earlier]
        for index in range(LOGIC_ROWS):
            question, op, value = row_names(index)
            first = index == 0
            self.fields[question] = forms.ChoiceField(
                label=_("Show only when") if first else _("and"), required=False
            )
            self.fields[question].choices = [("", _("always shown")), *everyone]
            self.fields[question].widget.choices = [("", _("always shown") if first else "—"),
                                                    *earlier]  # fmt: skip
            self.fields[op] = forms.ChoiceField(label=_("Condition"), required=False,
                                                choices=OP_CHOICES)  # fmt: skip
            self.fields[value] = _value_field()
        this = [("", _("in every case")), (THIS, _("this question"))]
        self.fields["jump_question"].choices = this + everyone
        self.fields["jump_question"].widget.choices = this + earlier
        self.fields["jump_to"].choices = [("", "—"), *everyone]
        self.fields["jump_to"].widget.choices = [("", "—")] + [
            (q["key"], question_title(q, 60)) for q in self.later
        ]
        self._words_for_options()

    def _words_for_options(self) -> None:
        """On an unbound form, a choice question's values are shown as the options' wording."""
        if self.is_bound:
            return
        for question, _op, value in [row_names(i) for i in range(LOGIC_ROWS)] + [JUMP_NAMES]:
            target = self._target(self.initial.get(question))
            if target and target.get("options"):
                labels = {o["value"]: o["label"] for o in target["options"]}
                values = str(self.initial.get(value) or "").split(",")
                self.initial[value] = "，".join(labels.get(v, v) for v in values)

    def _target(self, key):
        if key == THIS:
            return getattr(self, "this_question", None)
        return next((q for q in self.questions if q["key"] == key), None)

    def clean_logic(self, data: dict) -> None:
        """Each filled row becomes a condition in `data["show_if"]`; the skip rule becomes
        `data["jumps"]`. Errors go to the field that is wrong."""
        conditions = []
        for index in range(LOGIC_ROWS):
            names = row_names(index)
            condition = self._condition(data, *names, allowed=self.earlier)
            if condition:
                conditions.append(condition)
        if len(conditions) > 1:
            data["show_if"] = {"match": data.get("logic_match") or "all",
                               "conditions": conditions}  # fmt: skip
        else:
            data["show_if"] = conditions[0] if conditions else None
        data["jumps"] = self._jumps(data)

    def _jumps(self, data: dict) -> list:
        action, to = data.get("jump_action"), data.get("jump_to")
        if not action:
            return []
        this = {"type": data.get("type"), "options": data.get("options") or [],
                "text": data.get("text") or ""}  # fmt: skip
        self.this_question = this
        when = None
        if data.get("jump_question"):
            when = self._condition(data, *JUMP_NAMES, allowed=[*self.earlier, this])
            if when is None:
                return []
            if when.get("question") == THIS:
                when.pop("question")  # "this question": its key is filled in when it is saved
        if action == "skip":
            target = self._target(to)
            if not to:
                self.add_error("jump_to", _("Choose the question to skip to."))
            elif target not in self.later:
                self.add_error("jump_to", _(
                    "“%(question)s” comes before this question: a skip may only go forward, to "
                    "a later question.") % {"question": question_title(target or {})})  # fmt: skip
            return [{"when": when, "action": "skip", "to": to}]
        return [{"when": when, "action": "end"}]

    def _condition(self, data, question_name, op_name, value_name, allowed):
        key, op = data.get(question_name), data.get(op_name)
        if not key:
            return None
        target = self.this_question if key == THIS else self._target(key)
        if target not in allowed:
            self.add_error(question_name, _(
                "“%(question)s” comes after this question: a condition may only refer to an "
                "earlier question.") % {"question": question_title(target or {})})  # fmt: skip
            return None
        if not op:
            self.add_error(op_name, _("Choose a comparison."))
            return None
        value = None
        if op != "answered":
            try:
                value = _logic_value(op, data.get(value_name, ""), target)
            except forms.ValidationError as exc:
                self.add_error(value_name, exc)
                return None
        if isinstance(value, list) and op == "eq":  # a choice: "is" this option
            op = "in"
        return {"question": key, "op": op, "value": value}

    @staticmethod
    def logic_initial(spec: dict) -> dict:
        """The form's logic fields from a stored question."""
        initial = {}
        show_if = spec.get("show_if")
        if show_if:
            initial["logic_match"] = show_if.get("match", "all") if is_group(show_if) else "all"
            for index, leaf in enumerate(leaves(show_if)[:LOGIC_ROWS]):
                initial.update(zip(row_names(index), _leaf_initial(leaf), strict=True))
        rule = (spec.get("jumps") or [None])[0]
        if rule:
            initial.update(jump_action=rule.get("action"), jump_to=rule.get("to") or "")
            when = (leaves(rule.get("when")) or [None])[0]
            if when:
                about = THIS if when.get("question") == spec.get("key") else when.get("question")
                question, op, value = _leaf_initial({**when, "question": about})
                initial.update(jump_question=question, jump_op=op, jump_value=value)
        return initial

    def condition_rows(self) -> list[dict]:
        """The rows the template shows: those filled in and one empty (the others hidden)."""
        rows, shown_empty = [], False
        for index in range(LOGIC_ROWS):
            question, op, value = (self[name] for name in row_names(index))
            filled = bool(question.value())
            hidden = not filled and shown_empty
            shown_empty = shown_empty or not filled
            rows.append({"question": question, "op": op, "value": value, "hidden": hidden,
                         "first": index == 0})  # fmt: skip
        return rows


def _leaf_initial(leaf: dict) -> tuple:
    value = leaf.get("value")
    return (leaf.get("question"), leaf.get("op"),
            ",".join(map(str, value)) if isinstance(value, list) else value)  # fmt: skip


def _logic_value(op: str, raw: str, target: dict):
    """The typed value as the condition stores it: numbers as numbers, a choice question's
    options (typed as their wording or value) as option values."""
    parts = [p.strip() for p in re.split(r"[,，、]", raw or "") if p.strip()]
    if not parts:
        raise forms.ValidationError(_("Enter the value to compare with."))
    if target.get("options") and target.get("type") in CHOICE_TYPES:
        if op in NUMERIC_OPS:
            raise forms.ValidationError(
                _("“%(question)s” is answered with options: choose “is one of”.")
                % {"question": question_title(target)}
            )
        if op == "neq":
            raise forms.ValidationError(
                _("For a choice question use “is one of” with the options that show this "
                  "question.")
            )  # fmt: skip
        values = []
        for part in parts:
            names = ((o["value"], (o["value"], o.get("label"), o.get("label_en")))
                     for o in target["options"])  # fmt: skip
            match = next((value for value, words in names if part in words), None)
            if match is None:
                raise forms.ValidationError(
                    _("“%(question)s” has no option “%(value)s”; its options are: %(options)s.")
                    % {"question": question_title(target), "value": part,
                       "options": "、".join(o["label"] for o in target["options"])}
                )  # fmt: skip
            values.append(match)
        return values
    numbers = [_number(part) for part in parts]
    if op in NUMERIC_OPS | {"in"} or target.get("type") in SCALE_RANGES:
        if None in numbers or (op != "in" and len(numbers) > 1):
            raise forms.ValidationError(_("Enter a number, e.g. 6."))
        return numbers if op == "in" else numbers[0]
    return parts if op == "in" else raw.strip()


def _number(text: str) -> int | float | None:
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return None
