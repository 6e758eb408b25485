"""The read side of a survey's results: per-question counts of the filtered responses in
one grouped query over the answers, then shares, means, NPS/CSAT/CES from `stats`."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping

from django.db import connection
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from surveys.models import Answer, Question, QuestionType, Response, Survey
from surveys.questions.results import extra_result
from surveys.responding.answers import OTHER, SCALES
from surveys.results import stats
from surveys.results.cube import cube_cell_counts, cube_facet, usable_cube
from surveys.results.filters import (
    CHOICE_TYPES,
    ResultFilters,
    filtered_responses,
    survey_questions,
)
from surveys.results.quality import with_any_flag

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


def answer_counts(responses: QuerySet[Response] | list[int]) -> dict[str, dict]:
    """question key → {"answered": n, "numbers": Counter, "choices": Counter} over the
    answers of `responses` (or of a list of response ids), from one GROUP BY (a multiple
    choice counts each option)."""
    ids = responses if isinstance(responses, list) else responses.values("pk")
    rows = (
        Answer.objects.filter(response_id__in=ids)
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
    else:  # slider, region (surveys.questions.results)
        result.update(extra_result(question, entry))
    return result


def _merge(into: dict[str, dict], counts: Mapping[str, dict], sign: int = 1) -> None:
    for key, entry in counts.items():
        target = into[key]
        target["answered"] += sign * entry["answered"]
        for name in ("numbers", "choices"):
            for value, n in entry[name].items():
                target[name][value] += sign * n
    for entry in into.values():
        for name in ("numbers", "choices"):
            entry[name] = Counter({v: n for v, n in entry[name].items() if n})


# A live count of at most this many responses reads their ids first, so the answers are
# fetched by index rather than by a semi-join that scans the whole answer table.
# (PostgreSQL: SQLite limits the parameters of a statement.)
LIVE_IDS_MAX = 20_000


def _live_counts(responses: QuerySet[Response]) -> tuple[int, dict[str, dict]]:
    if connection.vendor != "postgresql":
        return responses.count(), answer_counts(responses)
    ids = list(responses.order_by().values_list("pk", flat=True)[: LIVE_IDS_MAX + 1])
    if len(ids) > LIVE_IDS_MAX:
        return responses.count(), answer_counts(responses)
    if not ids:
        return 0, {}
    return len(ids), answer_counts(ids)


def result_counts(survey: Survey, filters: ResultFilters) -> tuple[int, dict[str, dict]]:
    """The number of filtered responses and their per-question counts: from the survey's
    pre-aggregate when it is fresh and the filters are expressible on it (the cells, plus the
    tail completed since its watermark counted live, minus the excluded flagged responses
    counted live), else by one live GROUP BY over the answers. Both are exact."""
    cube = usable_cube(survey)
    facet = cube_facet(filters) if cube else None
    if facet is None:
        return _live_counts(filtered_responses(survey, filters))
    total, counts = cube_cell_counts(cube, facet, filters.start, filters.end)
    tail = filtered_responses(survey, filters).filter(completed_at__gte=cube.watermark)
    _merge(counts, answer_counts(tail))
    total += tail.count()
    if filters.exclude:
        kept = filtered_responses(survey, filters.with_changes(exclude=frozenset()))
        removed = with_any_flag(survey, kept.filter(completed_at__lt=cube.watermark),
                                filters.exclude)  # fmt: skip
        _merge(counts, answer_counts(removed), sign=-1)
        total -= removed.count()
    return total, counts


def survey_results(*, survey: Survey, filters: ResultFilters, language: str) -> dict:
    """Every question's result over the survey's completed responses that pass `filters`."""
    total, counts = result_counts(survey, filters)
    empty = {"answered": 0, "numbers": Counter(), "choices": Counter()}
    questions = survey_questions(survey)
    return {
        "survey": survey.pk,
        "responses": total,
        "questions": [
            question_result(question, counts.get(key, empty), language)
            for key, question in questions.items()
        ],
    }
