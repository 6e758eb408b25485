"""Results of the questions whose answers are more than a count per option (issue #17):

- matrix: per row, how many scored it, the mean and the spread of its points (from the
  same per-question counts as every question: a matrix answer's choices are "row:point");
- ranking: per option, its mean place and how often it came first — read live from the
  answers in their stored order (one query per ranking question);
- date: the dates given, by month (a chartable distribution), earliest and latest — live,
  one query per date question.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils import formats

from surveys.models import Answer, Question, QuestionType, Response
from surveys.responding.grid_answers import MATRIX_SCALE
from surveys.results import stats
from surveys.results.labels import own_option_labels


def matrix_rows(question: Question, entry: Mapping[str, Any], language: str) -> list[dict]:
    """Per row of a matrix: answered, mean, and the count and share of each point."""
    points: dict[str, Counter] = {}
    for choice, n in entry["choices"].items():
        row, _, point = str(choice).partition(":")
        if point.lstrip("-").isdigit():
            points.setdefault(row, Counter())[int(point)] += n
    low, high = MATRIX_SCALE
    rows = []
    labels = own_option_labels(question, language)
    for value in [*labels, *(r for r in points if r not in labels)]:
        numbers = points.get(value, Counter())
        answered = sum(numbers.values())
        rows.append({
            "value": value, "label": labels.get(value, value), "answered": answered,
            "mean": stats.mean_of(numbers), "points": [
                {"value": p, "count": numbers.get(p, 0), "share": stats.share(numbers.get(p, 0), answered)}  # noqa: E501
                for p in range(low, high + 1)
            ],
        })  # fmt: skip
    return rows


def _answers(responses: QuerySet[Response], key: str):
    return Answer.objects.filter(response_id__in=responses.values("pk"), question_key=key)


def ranking_rows(responses: QuerySet[Response], question: Question, language: str) -> list[dict]:
    """Per option: how many ranked it, its mean place (1 = first) and how often it came
    first; best (lowest mean place) first."""
    inner, params = _answers(responses, question.key).values("choices").query.sql_with_params()
    sql = (
        "SELECT c.value, c.place, count(*) FROM (" + inner + ") a,"  # noqa: S608 - ORM SQL
        " jsonb_array_elements_text(a.choices) WITH ORDINALITY c(value, place)"
        " WHERE jsonb_typeof(a.choices) = 'array' GROUP BY c.value, c.place"
    )
    places: dict[str, Counter] = {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for value, place, n in cursor.fetchall():
                places.setdefault(str(value), Counter())[int(place)] += n
    else:  # SQLite (the embedded default): the same from the stored lists
        for choices in _answers(responses, question.key).values_list("choices", flat=True):
            for place, value in enumerate(choices or (), start=1):
                places.setdefault(str(value), Counter())[place] += 1
    labels = own_option_labels(question, language)
    rows = []
    for value in [*labels, *(v for v in places if v not in labels)]:
        counted = places.get(value, Counter())
        ranked = sum(counted.values())
        rows.append({
            "value": value, "label": labels.get(value, value), "answered": ranked,
            "mean_place": stats.mean_of(counted), "first": counted.get(1, 0),
            "first_share": stats.share(counted.get(1, 0), ranked),
        })  # fmt: skip
    rows.sort(key=lambda row: (row["mean_place"] is None, row["mean_place"] or 0, row["label"]))
    return rows


def date_summary(responses: QuerySet[Response], key: str, answered: int) -> dict:
    """The dates given by month ("2026-11", labelled in the reader's format), the earliest
    and the latest."""
    months: Counter = Counter()
    earliest = latest = None
    for text in _answers(responses, key).exclude(text="").values_list("text", flat=True):
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:  # stored before the check, or by hand: not a date to count
            continue
        months[(day.year, day.month)] += 1
        earliest = day if earliest is None or day < earliest else earliest
        latest = day if latest is None or day > latest else latest
    distribution = [
        {"value": f"{year:04d}-{month:02d}",
         "label": formats.date_format(dt.date(year, month, 1), "YEAR_MONTH_FORMAT"),
         "count": n, "share": stats.share(n, answered)}
        for (year, month), n in sorted(months.items())
    ]  # fmt: skip
    return {
        "distribution": distribution,
        "earliest": earliest.isoformat() if earliest else None,
        "latest": latest.isoformat() if latest else None,
    }


def grid_results(
    results: list[dict], questions: Mapping[str, Question], responses: QuerySet[Response] | None,
    language: str,
) -> None:  # fmt: skip
    """Complete the results of ranking and date questions in place (`responses`: the
    filtered responses; None when there are none). Matrix rows come with the counts."""
    for result in results:
        question = questions[result["key"]]
        if result["type"] == QuestionType.RANKING:
            result["rows"] = (
                ranking_rows(responses, question, language) if responses is not None else []
            )
        elif result["type"] == QuestionType.DATE:
            found = date_summary(responses, result["key"], result["answered"]) if (
                responses is not None and result["answered"]) else {
                "distribution": [], "earliest": None, "latest": None}  # fmt: skip
            result.update(found)
