"""Checking a respondent's answers against the questions: the same rules for the HTML pages,
the JSON endpoint and the final submit. Returns clean values or per-question messages."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from surveys.design.logic import is_visible
from surveys.models import QuestionType
from surveys.questions.region import path_words as region_words
from surveys.responding.grid_answers import (
    GRID_TYPES,
    check_date,
    check_matrix,
    check_ranking,
    matrix_blank_row,
)
from surveys.responding.more_answers import (
    check_file,
    check_hidden,
    check_region,
    check_slider,
)
from surveys.scoring.rules import CES_SCALE, CSAT_SCALE, NPS_SCALE

OTHER = "__other__"
SCALES = {
    QuestionType.NPS: NPS_SCALE,
    QuestionType.CSAT: CSAT_SCALE,
    QuestionType.CES: CES_SCALE,
    QuestionType.RATING: (1, 5),
}
SHORT_TEXT_LIMIT = 200
OTHER_TEXT_LIMIT = 500
CONSENT_VALUES = {"on", "true", "1", "yes", True}
MULTIPLE_TYPES = {QuestionType.MULTIPLE, QuestionType.IMAGE_MULTIPLE}


@dataclass
class CleanAnswer:
    number: int | None = None
    text: str = ""
    choices: list[str] = field(default_factory=list)
    other_text: str = ""
    # A file-upload question's checked file from a page form (more_answers.Upload), stored
    # with the answer; the answer's text becomes the stored file's token.
    upload: Any = None

    @property
    def value(self) -> Any:
        """The value display logic looks at."""
        if self.number is not None:
            return self.number
        if self.choices:
            return self.choices
        return self.text or None


@dataclass
class Checked:
    answers: dict[str, CleanAnswer]
    errors: dict[str, str]


def _clean_text(raw: Any) -> str:
    text = "" if raw is None else str(raw)
    # NUL and other C0 controls break PostgreSQL text and mean nothing to a reader.
    text = "".join(ch for ch in text if ch >= " " or ch in "\n\t")
    return text.strip()


def _first(raw: Any) -> Any:
    if isinstance(raw, list | tuple):
        return raw[0] if raw else None
    return raw


def check_one(question: Any, raw: Any, other_raw: Any = None) -> tuple[CleanAnswer | None, str]:
    """Validate one raw value; return (answer or None when blank, error message or "")."""
    kind = question.type
    if kind in SCALES:
        low, high = SCALES[kind]
        value = _first(raw)
        if value in (None, ""):
            return None, ""
        try:
            number = int(str(value).strip())
        except ValueError:
            return None, _("Choose a whole number from %(low)s to %(high)s.") % {
                "low": low,
                "high": high,
            }
        if not low <= number <= high:
            return None, _("Choose a whole number from %(low)s to %(high)s.") % {
                "low": low,
                "high": high,
            }
        return CleanAnswer(number=number), ""

    if kind == QuestionType.DATE:
        text, error = check_date(_first(raw))
        return (CleanAnswer(text=text) if text else None), error

    if kind in GRID_TYPES:
        check = check_matrix if kind == QuestionType.MATRIX else check_ranking
        choices, error = check(question, raw)
        return (CleanAnswer(choices=choices) if choices else None), error

    if kind == QuestionType.SLIDER:
        number, error = check_slider(question, _first(raw))
        return (CleanAnswer(number=number) if number is not None else None), error

    if kind == QuestionType.REGION:
        codes, error = check_region(question, raw)
        if not codes:
            return None, error
        return CleanAnswer(choices=codes, text=region_words(codes)), ""

    if kind == QuestionType.FILE:
        found, error = check_file(question, _first(raw))
        if found is None:
            return None, error
        if isinstance(found, str):
            return CleanAnswer(text=found), ""
        return CleanAnswer(upload=found), ""

    if kind == QuestionType.HIDDEN:
        text, error = check_hidden(raw)
        return (CleanAnswer(text=text) if text else None), error

    if kind in {QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT}:
        text = _clean_text(_first(raw))
        if not text:
            return None, ""
        limit = SHORT_TEXT_LIMIT if kind == QuestionType.SHORT_TEXT else question.max_length
        if len(text) > limit:
            return None, _("Please keep this under %(limit)s characters (you wrote %(count)s).") % {
                "limit": limit,
                "count": len(text),
            }
        return CleanAnswer(text=text), ""

    if kind == QuestionType.CONSENT:
        value = _first(raw)
        if isinstance(value, str):
            value = value.strip().lower()
        return (CleanAnswer(choices=["yes"]), "") if value in CONSENT_VALUES else (None, "")

    # Choice questions.
    allowed = [str(option["value"]) for option in question.options]
    if isinstance(raw, list | tuple):
        picked = [str(v) for v in raw if str(v) != ""]
    else:
        picked = [] if raw in (None, "") else [str(raw)]
    typed_other = _clean_text(_first(other_raw)) if question.allow_other else ""
    if typed_other and OTHER not in picked:
        # Text typed under "other" without ticking it (JS off, or a quick thumb) ticks it:
        # never dropped. A single choice with another option picked cannot hold both.
        if picked and kind not in MULTIPLE_TYPES:
            return None, _("You wrote under “other” but chose another option: choose one.")
        picked.append(OTHER)
    if not picked:
        return None, ""
    if kind not in MULTIPLE_TYPES and len(picked) > 1:
        return None, _("Choose only one option.")
    unknown = [v for v in picked if v not in allowed and not (v == OTHER and question.allow_other)]
    if unknown:
        return None, _("“%(value)s” is not one of the options.") % {"value": unknown[0][:50]}
    other_text = _clean_text(_first(other_raw)) if OTHER in picked else ""
    if OTHER in picked and not other_text:
        return None, _("Please say what “other” means.")
    if len(other_text) > OTHER_TEXT_LIMIT:
        return None, _("Please keep this under %(limit)s characters (you wrote %(count)s).") % {
            "limit": OTHER_TEXT_LIMIT,
            "count": len(other_text),
        }
    return CleanAnswer(choices=list(dict.fromkeys(picked)), other_text=other_text), ""


def check_answers(
    questions: Sequence[Any],
    data: Mapping[str, Any],
    *,
    known: Mapping[str, CleanAnswer] | None = None,
    require: Sequence[Any] | None = None,
) -> Checked:
    """Check the raw values in `data` for `questions`.

    `known` are answers saved earlier (for display logic across pages); `require` lists
    the questions whose "required" flag is enforced (the visible ones being submitted).
    """
    answers: dict[str, CleanAnswer] = dict(known or {})
    errors: dict[str, str] = {}
    for question in questions:
        if question.key in data or f"{question.key}_other" in data:
            answer, error = check_one(
                question, data.get(question.key), data.get(f"{question.key}_other")
            )
            if error:
                errors[question.key] = error
                answers.pop(question.key, None)
            elif answer is None:
                answers.pop(question.key, None)
            else:
                answers[question.key] = answer
    values = {key: answer.value for key, answer in answers.items()}
    for question in require or ():
        if not is_visible(question, values):
            continue
        if question.required and question.type == QuestionType.MATRIX and question.key in answers:
            blank = matrix_blank_row(question, answers[question.key].choices)
            if blank:
                errors[question.key] = blank
                continue
        if question.required and question.key not in answers and question.key not in errors:
            errors[question.key] = (
                _("Please tick this box to continue.")
                if question.type == QuestionType.CONSENT
                else _("This question needs an answer.")
            )
    return Checked(answers=answers, errors=errors)
