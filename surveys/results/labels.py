"""A question's text and its options' labels in the reader's language, for every results
view (charts, cross-tabs, exports, the grid questions' rows)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from surveys.models import Question, QuestionType
from surveys.responding.answers import OTHER


def question_text(question: Question, language: str) -> str:
    return question.text_en if language == "en" and question.text_en else question.text


def own_option_labels(question: Question, language: str) -> dict[str, str]:
    """Stored option value → its label in `language`, of the options the designer wrote
    (a matrix's rows, a ranking's options)."""
    labels = {}
    for option in question.options or ():
        english = language == "en" and option.get("label_en")
        labels[str(option["value"])] = str(english or option.get("label") or option["value"])
    return labels


def option_labels(question: Question, language: str) -> dict[str, str]:
    """Stored option value → its label in `language` (the "other" option included)."""
    labels = own_option_labels(question, language)
    if question.allow_other:
        labels[OTHER] = _("Other")
    if question.type == QuestionType.CONSENT:
        labels["yes"] = _("Agreed")
    return labels
