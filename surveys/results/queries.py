"""The read side of a survey's results: per-question counts of the filtered responses in
one grouped query over the answers, then shares, means, NPS/CSAT/CES from `stats`."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from surveys.models import Answer, Question, QuestionType, Response, Survey
from surveys.responding.answers import OTHER, SCALES
from surveys.results import stats
from surveys.results.filters import (
    CHOICE_TYPES,
    ResultFilters,
    filtered_responses,
    survey_questions,
)

CHOICE_LIKE = {*CHOICE_TYPES, QuestionType.CONSENT}


def question_text(question: Question, language: str) -> str:
    return question.text_en if language == "en" and question.text_en else question.text


def option_labels(question: Question, language: str) -> dict[str, str]:
    """Stored option value → its label in `language` (the "other" option included)."""
    labels = {}
    for option in question.options or ():
        english = language == "en" and option.get("label_en")
        labels[str(option["value"])] = str(english or option.get("label") or option["value"])
    if question.allow_other:
        labels[OTHER] = _("Other")
    if question.type == QuestionType.CONSENT:
        labels["yes"] = _("Agreed")
    return labels


def answer_counts(responses: QuerySet[Response]) -> dict[str, dict]:
    """question key → {"answered": n, "numbers": Counter, "choices": Counter} over the
    answers of `responses`, from one GROUP BY (a multiple choice counts each option)."""
    rows = (
        Answer.objects.filter(response_id__in=responses.values("pk"))
        .values_list("question_key", "number", "choices")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[str, dict] = defaultdict(
        lambda: {"answered": 0, "numbers": Counter(), "choices": Counter()}
    )
    for key, number, choices, n in rows:
        entry = counts[key]
        entry["answered"] += n
        if number is not None:
            entry["numbers"][number] += n
        for choice in choices or ():
            entry["choices"][str(choice)] += n
    return counts


def _distribution(pairs, answered: int) -> list[dict]:
    return [
        {"value": value, "label": label, "count": count, "share": stats.share(count, answered)}
        for value, label, count in pairs
    ]


def question_result(question: Question, entry: Mapping, language: str) -> dict:
    """The result of one question from its counts (see `answer_counts`)."""
    answered = entry["answered"]
    result = {
        "key": question.key, "type": question.type, "type_label": question.get_type_display(),
        "text": question_text(question, language), "answered": answered, "distribution": [],
        "mean": None, "median": None,
    }  # fmt: skip
    kind = question.type
    if kind in SCALES:
        low, high = SCALES[kind]
        numbers = entry["numbers"]
        scores = sorted({*range(low, high + 1), *numbers})
        result["distribution"] = _distribution(
            ((s, str(s), numbers.get(s, 0)) for s in scores), answered
        )
        result["mean"] = stats.mean_of(numbers)
        result["median"] = stats.median_of(numbers)
        if kind == QuestionType.NPS:
            result["nps"] = stats.nps_summary(numbers)
        elif kind == QuestionType.CSAT:
            result["csat"] = stats.csat_summary(numbers)
        elif kind == QuestionType.CES:
            result["ces"] = stats.ces_summary(numbers)
    elif kind in CHOICE_LIKE:
        labels = option_labels(question, language)
        chosen = entry["choices"]
        # Options of older versions that were answered but are gone now keep their value.
        values = [*labels, *(v for v in chosen if v not in labels)]
        result["distribution"] = _distribution(
            ((v, labels.get(v, v), chosen.get(v, 0)) for v in values), answered
        )
    return result


def survey_results(*, survey: Survey, filters: ResultFilters, language: str) -> dict:
    """Every question's result over the survey's completed responses that pass `filters`."""
    responses = filtered_responses(survey, filters)
    counts = answer_counts(responses)
    empty = {"answered": 0, "numbers": Counter(), "choices": Counter()}
    questions = survey_questions(survey)
    return {
        "survey": survey.pk,
        "responses": responses.count(),
        "questions": [
            question_result(question, counts.get(key, empty), language)
            for key, question in questions.items()
        ],
    }
