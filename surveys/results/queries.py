"""The read side of a survey's results: per-question counts of the filtered responses in
one grouped query over the answers, then shares, means, NPS/CSAT/CES from `stats`."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, QuerySet

from surveys.models import Answer, Question, QuestionType, Response, Survey
from surveys.questions.results import extra_result
from surveys.responding.answers import SCALES
from surveys.results import stats
from surveys.results.cube import usable_cube
from surveys.results.cube_read import aggregated_counts, exclusion_mask
from surveys.results.filters import (
    CHOICE_TYPES,
    ResultFilters,
    filtered_responses,
    survey_questions,
)
from surveys.results.grid_results import grid_results, matrix_rows
from surveys.results.hidden_values import hidden_distribution
from surveys.results.labels import option_labels, question_text
from surveys.results.quality import FLAG_BITS, flags_of, quality_counts

CHOICE_LIKE = {*CHOICE_TYPES, QuestionType.CONSENT}


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
    elif kind == QuestionType.MATRIX:
        result["rows"] = matrix_rows(question, entry, language)
    else:  # slider, region (surveys.questions.results); ranking and date: `grid_results`
        result.update(extra_result(question, entry))
    return result


def _merge(into: dict[str, dict], counts: Mapping[str, dict]) -> None:
    for key, entry in counts.items():
        target = into[key]
        target["answered"] += entry["answered"]
        for name in ("numbers", "choices"):
            target[name].update(entry[name])


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
    """The number of filtered responses and their per-question counts (see `result_summary`)."""
    summary = result_summary(survey, filters)
    return summary.responses, summary.counts


@dataclass
class ResultSummary:
    responses: int
    counts: dict[str, dict]
    quality: dict[str, int] | None  # flag → responses carrying it (None: not counted)
    path: str  # "cube", "bits", "facts" or "live"


def result_summary(survey: Survey, filters: ResultFilters, *, quality: bool = False):
    """The filtered responses' number, per-question counts and quality-flag counts (always
    from the pre-aggregate; live only when `quality`): from the survey's pre-aggregate when
    it is fresh — its cells or facts, plus the tail completed since its watermark counted
    live — else by one live GROUP BY over the answers. Both are exact."""
    cube = usable_cube(survey)
    tail = _tail(survey, filters, cube.watermark) if cube else None
    if tail is None:
        responses = filtered_responses(survey, filters)
        total, counts = _live_counts(responses)
        flags = None
        if quality:
            flags = quality_counts(survey, responses) if total else dict.fromkeys(FLAG_BITS, 0)
        return ResultSummary(total, counts, flags, "live")
    path, total, counts, flags = aggregated_counts(cube, filters)
    tail_total, tail_counts, tail_flags = tail
    _merge(counts, tail_counts)
    for flag, n in tail_flags.items():
        flags[flag] += n
    return ResultSummary(total + tail_total, counts, flags, path)


def _tail(survey: Survey, filters: ResultFilters, watermark):
    """(responses, counts, quality) of the filtered responses completed since `watermark`,
    None when there are too many to count this way (the cube is far behind)."""
    kept = filtered_responses(survey, filters.with_changes(exclude=frozenset()))
    done = kept.filter(completed_at__gte=watermark).order_by().values_list("pk", flat=True)
    ids = list(done[: LIVE_IDS_MAX + 1])
    if len(ids) > LIVE_IDS_MAX:
        return None
    flags = flags_of(survey, ids)
    mask = exclusion_mask(filters)
    ids = [pk for pk in ids if not flags[pk] & mask]
    quality = {flag: sum(1 for pk in ids if flags[pk] & bit) for flag, bit in FLAG_BITS.items()}
    return len(ids), answer_counts(ids) if ids else {}, quality


def survey_results(
    *, survey: Survey, filters: ResultFilters, language: str, summary: ResultSummary | None = None,
    hidden_values: bool = False,
) -> dict:  # fmt: skip
    """Every question's result over the survey's completed responses that pass `filters`
    (from `summary` when the caller already has it); with `hidden_values`, the distribution
    of the values of hidden fields too (see `hidden_values`)."""
    summary = summary or result_summary(survey, filters)
    total, counts = summary.responses, summary.counts
    empty = {"answered": 0, "numbers": Counter(), "choices": Counter()}
    questions = survey_questions(survey)
    results = [
        question_result(question, counts.get(key, empty), language)
        for key, question in questions.items()
    ]
    responses = filtered_responses(survey, filters) if total else None
    grid_results(results, questions, responses, language)
    if hidden_values and total:
        for result in results:
            if result["type"] == QuestionType.HIDDEN and result["answered"]:
                result["distribution"] = hidden_distribution(
                    responses, result["key"], result["answered"]
                )
    return {"survey": survey.pk, "responses": total, "questions": results}
