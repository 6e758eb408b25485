"""Builder changes beyond one question's form: a new order (drag and drop), a copy of a
question, the question bank, and undo of the last change."""

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from surveys.design import services as design
from surveys.design.logic import leaves
from surveys.design.models import BuilderChange, QuestionBankItem
from surveys.design.undo import snapshot_latest
from surveys.errors import SurveyError
from surveys.models import Survey

# What a bank item keeps of a question: not its key nor its logic, which belong to a survey.
BANK_FIELDS = tuple(f for f in design.QUESTION_FIELDS if f not in {"key", "show_if", "jumps"})


def questions_reorder(*, survey: Survey, keys: Sequence[str]) -> None:
    """Put the questions in the order of `keys` (all of them, each once), atomically. An order
    in which some logic would refer to a later question, or skip backward, is refused."""
    specs = design.survey_questions_specs(survey)
    by_key = {spec["key"]: spec for spec in specs}
    if sorted(map(str, keys)) != sorted(by_key):
        raise SurveyError(_("The new order does not list this survey's questions; reload the "
                            "page and try again."))  # fmt: skip
    if list(keys) == [spec["key"] for spec in specs]:
        return
    try:
        design.survey_questions_replace(
            survey=survey, questions=[by_key[k] for k in keys], change=BuilderChange.MOVE,
            before=specs,
        )  # fmt: skip
    except SurveyError as exc:
        problems = " ".join(exc.errors.values()) or exc.message
        raise SurveyError(
            _("This order is not possible, the questions stay as they were: %(problems)s")
            % {"problems": problems}, exc.errors,
        ) from None  # fmt: skip


def question_duplicate(*, survey: Survey, key: str) -> str:
    """A copy of a question right after it, with a key of its own; returns that key."""
    specs = design.survey_questions_specs(survey)
    index = next((i for i, spec in enumerate(specs) if spec["key"] == key), None)
    if index is None:
        raise SurveyError(_("There is no question “%(key)s” in this survey.") % {"key": key})
    copy = dict(specs[index])
    copy["key"] = design.next_question_key(specs, copy["type"])
    copy["jumps"] = [_renamed(rule, key, copy["key"]) for rule in copy.get("jumps") or ()]
    return design.question_add(
        survey=survey, spec=copy, position=index + 1, change=BuilderChange.DUPLICATE
    )


def _renamed(rule: Mapping[str, Any], old: str, new: str) -> dict[str, Any]:
    """A skip rule of a copied question: its conditions on the original are on the copy."""
    rule = copy.deepcopy(dict(rule))
    for leaf in leaves(rule.get("when")):
        if leaf.get("question") == old:
            leaf["question"] = new  # type: ignore[index]  # a leaf of the fresh copy
    return rule


def question_bank_save(*, survey: Survey, key: str, by=None) -> QuestionBankItem:
    """Keep a question of a survey in the question bank, for any survey to reuse."""
    spec = next((s for s in design.survey_questions_specs(survey) if s["key"] == key), None)
    if spec is None:
        raise SurveyError(_("There is no question “%(key)s” in this survey.") % {"key": key})
    kept = {name: spec[name] for name in BANK_FIELDS if name in spec}
    return QuestionBankItem.objects.create(
        text=spec["text"][:500], type=spec["type"], spec=kept, created_by=by
    )


def question_bank_insert(*, survey: Survey, item_id: int) -> str:
    """Add a question from the bank at the end of a survey; returns its new key."""
    item = QuestionBankItem.objects.filter(pk=item_id).first()
    if item is None:
        raise SurveyError(_("That question is no longer in the question bank."))
    spec = {name: item.spec[name] for name in BANK_FIELDS if name in item.spec}
    return design.question_add(survey=survey, spec=spec, change=BuilderChange.BANK)


def question_bank_remove(*, item_id: int) -> None:
    QuestionBankItem.objects.filter(pk=item_id).delete()


@transaction.atomic
def survey_undo(*, survey: Survey) -> str:
    """Take back the last change of the questions; returns what it was, in words."""
    snapshot = snapshot_latest(survey)
    if snapshot is None:
        raise SurveyError(_("There is no change to undo."))
    design.survey_update(survey=survey, questions=snapshot.questions)
    label = snapshot.get_change_display()
    snapshot.delete()
    return str(label)


def question_bank_items(limit: int = 200) -> list[QuestionBankItem]:
    """The question bank, newest first (the builder lists it beside the questions)."""
    return list(QuestionBankItem.objects.order_by("-created_at", "-id")[:limit])
