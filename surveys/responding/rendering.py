"""What the respondent templates need for one question, in the respondent's language."""

import random

from django.utils.translation import gettext as _

from surveys.design.piping import pipe
from surveys.models import QuestionType, ScaleStyle
from surveys.responding.answers import SCALES
from surveys.responding.grid_answers import GRID_TYPES, MATRIX_SCALE, grid_rows
from surveys.responding.more_rendering import extra_for, image_options

FACES = {1: "😠", 2: "😞", 3: "😐", 4: "😊", 5: "😄"}


def text_in(obj, name: str, language: str, fields=None) -> str:
    """`obj.<name>` in the respondent's language (English falls back to Chinese), piped."""
    english = getattr(obj, f"{name}_en", "") if language == "en" else ""
    return pipe(english or getattr(obj, name), fields or {})


def scale_ends(kind: str) -> tuple[str, str] | None:
    """The words under the two ends of a scale."""
    if kind == QuestionType.NPS:
        return _("Not at all likely"), _("Extremely likely")
    if kind == QuestionType.CES:
        return _("Strongly disagree"), _("Strongly agree")
    if kind == QuestionType.CSAT:
        return _("Very dissatisfied"), _("Very satisfied")
    if kind == QuestionType.RATING:
        return _("Very poor"), _("Excellent")
    return None


def scale_style(question) -> str:
    """numbers, stars (star ratings) or faces (a 1–5 scale the designer asked faces for)."""
    low, high = SCALES[question.type]
    if question.scale_style == ScaleStyle.FACES and (low, high) == (1, 5):
        return "faces"
    return "stars" if question.type == QuestionType.RATING else "numbers"


def render_question(question, language, answers, errors, seed, fields=None, posted=None) -> dict:
    """One question with its options, saved answer and error, ready for question.html.

    A question with an error shows what was `posted` for it, so nothing typed is lost."""
    options = [
        {"value": str(o["value"]), "label": (language == "en" and o.get("label_en")) or o["label"]}
        for o in question.options
    ]
    if question.option_order == "random":
        random.Random(f"{seed}:{question.key}").shuffle(options)  # noqa: S311 (not security)
    answer = answers.get(question.key)
    bounds = SCALES.get(question.type)
    style = scale_style(question) if bounds else ""
    scale = None
    if bounds:
        scale = [
            {"value": str(n), "number": n, "face": FACES.get(n, "") if style == "faces" else ""}
            for n in range(bounds[0], bounds[1] + 1)
        ]
    value = (
        "" if answer is None else str(answer.number if answer.number is not None else answer.text)
    )
    choices = answer.choices if answer else []
    other_text = answer.other_text if answer else ""
    if posted is not None and question.key in errors:
        choices = posted.getlist(question.key)
        value = posted.get(question.key, "")
        other_text = posted.get(f"{question.key}_other", "")
    if question.type in {QuestionType.IMAGE_SINGLE, QuestionType.IMAGE_MULTIPLE}:
        options = image_options(question, options)
    rows = None
    if question.type in GRID_TYPES:
        errored = posted if posted is not None and question.key in errors else None
        rows = grid_rows(question, options, answer, errored)
    return {
        "q": question,
        "rows": rows,
        "places": [str(n) for n in range(1, len(options) + 1)],
        "matrix_scale": [str(n) for n in range(MATRIX_SCALE[0], MATRIX_SCALE[1] + 1)],
        "text": text_in(question, "text", language, fields),
        "help": text_in(question, "help_text", language, fields),
        "options": options,
        "scale": scale,
        "style": style,
        "ends": scale_ends(question.type) if bounds else None,
        "value": value,
        "choices": choices,
        "other_text": other_text,
        "error": errors.get(question.key, ""),
        "extra": extra_for(question, language, answer, posted, question.key in errors),
        "limit": 200 if question.type == QuestionType.SHORT_TEXT else question.max_length,
    }
