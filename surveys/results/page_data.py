"""What the results page shows besides the per-question results: chart data, the free-text
answers (searchable, paged, with what feedback knows of them), period or version comparison."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet

from surveys.models import Answer, Question, QuestionType, Response
from surveys.results.annotations import answer_annotations
from surveys.results.filters import TEXT_TYPES, ResultFilters, ResultsFilterError, parse_filters
from surveys.results.labels import question_text

TEXT_PAGE_SIZE = 20
SEARCH_MAX = 100


def chart_data(results: dict) -> list[dict]:
    """One bar chart per question with a distribution (labels, counts, shares)."""
    charts = []
    for question in results["questions"]:
        if not question["distribution"]:
            continue
        chart = {
            "id": f"chart-{question['key']}",
            "kind": "scale" if question["mean"] is not None or question["type"] in
                    ("nps", "csat", "ces", "rating") else "choice",
            "labels": [entry["label"] for entry in question["distribution"]],
            "counts": [entry["count"] for entry in question["distribution"]],
            "shares": [entry["share"] for entry in question["distribution"]],
        }  # fmt: skip
        if "nps" in question:
            chart["nps"] = question["nps"]
        charts.append(chart)
    return charts


def text_answers(
    responses: QuerySet[Response], questions: dict[str, Question], *, search: str, page: str,
    language: str,
):  # fmt: skip
    """A page of the answers to text questions, newest first ("other" texts have their own
    list per question: `other_texts`)."""
    text_keys = [key for key, q in questions.items() if q.type in TEXT_TYPES]
    answers = Answer.objects.filter(
        response_id__in=responses.values("pk"), question_key__in=text_keys
    ).exclude(text="")
    search = search.strip()[:SEARCH_MAX]
    if search:
        answers = answers.filter(text__icontains=search)
    answers = answers.select_related("response").order_by("-response__completed_at", "-pk")
    paged = Paginator(answers, TEXT_PAGE_SIZE).get_page(page)
    notes = answer_annotations(answer.pk for answer in paged.object_list)
    rows = []
    for answer in paged.object_list:
        question = questions.get(answer.question_key)
        rows.append({
            "answer": answer,
            "question": question_text(question, language) if question else answer.question_key,
            "text": answer.text,
            "note": notes.get(answer.pk, {}),
        })  # fmt: skip
    return paged, rows


COMPARE_FIELDS = {"compare_from": "from", "compare_to": "to", "compare_version": "version"}


def comparison_filters(params, *, survey, filters: ResultFilters) -> ResultFilters | None:
    """The second period or version to compare with (the other filters the same), or None
    when none is asked for. Errors are named by the compare_* parameter."""
    asked = {name: params.get(name, "") for name in COMPARE_FIELDS if params.get(name)}
    if not asked:
        return None
    try:
        other = parse_filters({COMPARE_FIELDS[k]: v for k, v in asked.items()}, survey=survey)
    except ResultsFilterError as exc:
        reverse = {v: k for k, v in COMPARE_FIELDS.items()}
        raise ResultsFilterError(
            {reverse.get(k, k): " ".join(v) for k, v in exc.field_errors().items()}
        ) from exc
    changes = {}
    if "compare_from" in asked or "compare_to" in asked:
        changes.update(start=other.start, end=other.end)
    if "compare_version" in asked:
        changes["version"] = other.version
    return filters.with_changes(**changes)


def comparison_rows(first: dict, second: dict) -> list[dict]:
    """Per question: each distribution entry's count and share in both, the means, NPS."""
    others = {q["key"]: q for q in second["questions"]}
    rows = []
    for question in first["questions"]:
        other = others.get(question["key"])
        if other is None or not question["distribution"]:
            continue
        by_value = {entry["value"]: entry for entry in other["distribution"]}
        rows.append({
            "key": question["key"], "text": question["text"],
            "answered": (question["answered"], other["answered"]),
            "mean": (question["mean"], other["mean"]),
            "nps": (question.get("nps", {}).get("value"), other.get("nps", {}).get("value"))
            if question["type"] == QuestionType.NPS else None,
            "entries": [
                (entry["label"], entry["count"], entry["share"],
                 by_value.get(entry["value"], {}).get("count", 0),
                 by_value.get(entry["value"], {}).get("share"))
                for entry in question["distribution"]
            ],
        })  # fmt: skip
    return rows
