"""What the builder shows of the questions: each card in words (type, logic and skip logic as
sentences, warnings), the question bank and what undo would take back."""

from typing import Any

from django.urls import reverse

from surveys.design import services as design
from surveys.design.editing import question_bank_items
from surveys.design.logic_words import (
    condition_sentence,
    condition_warnings,
    jump_sentence,
    jump_warnings,
)
from surveys.design.undo import snapshot_latest
from surveys.models import QuestionType, Survey


def question_cards(specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Question specs with what their cards say in words: the type, the logic as sentences
    and why that logic could never be true."""
    return [{
        **spec, "number": number, "type_label": QuestionType(spec["type"]).label,
        "logic_sentence": condition_sentence(spec.get("show_if"), specs),
        "jump_sentences": [jump_sentence(rule, specs) for rule in spec.get("jumps") or ()],
        "logic_warnings": condition_warnings(spec.get("show_if"), specs)
        + jump_warnings(spec.get("jumps") or (), specs),
    } for number, spec in enumerate(specs, start=1)]  # fmt: skip


def questions_context(survey: Survey, specs: list[dict[str, Any]] | None = None) -> dict:
    """The context of the question list (the part of the builder page the script swaps)."""
    specs = design.survey_questions_specs(survey) if specs is None else specs
    last = snapshot_latest(survey)
    # Each card's address (its edit form; + "action/" for its buttons), reversed once.
    base = reverse("surveys:question-edit", args=[survey.pk, "KEY"]).removesuffix("KEY/")
    cards = [{**card, "url": f"{base}{card['key']}/"} for card in question_cards(specs)]
    return {
        "survey": survey, "questions": cards,
        "undo_label": last.get_change_display() if last else "",
        "bank_items": question_bank_items(),
    }  # fmt: skip


def logic_warnings_of(specs: list[dict[str, Any]], key: str) -> list[str]:
    """The warnings of one question's logic after it was saved."""
    spec = next((s for s in specs if s["key"] == key), {})
    return condition_warnings(spec.get("show_if"), specs) + jump_warnings(
        spec.get("jumps") or (), specs
    )
