"""The cross-tab of two choice or scale questions over the filtered responses: counts, row
and column shares, and Pearson's chi-square test with its small-expected-count cells."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from surveys.models import Answer, Question, Response
from surveys.responding.answers import SCALES
from surveys.results import stats
from surveys.results.filters import CHOICE_TYPES, ResultsFilterError
from surveys.results.labels import option_labels, question_text


def _categories(question: Question, language: str) -> list[tuple[str, str]]:
    if question.type in SCALES:
        low, high = SCALES[question.type]
        return [(str(s), str(s)) for s in range(low, high + 1)]
    return list(option_labels(question, language).items())


def check_pair(questions: dict[str, Question], row_key: str, col_key: str) -> None:
    errors = {}
    for field, key in (("xa", row_key), ("xb", col_key)):
        question = questions.get(key)
        if question is None:
            errors[field] = _("This survey has no question “%(key)s”.") % {"key": key[:40]}
        elif question.type not in SCALES and question.type not in CHOICE_TYPES:
            errors[field] = _("Only choice and scale questions can be cross-tabulated.")
    if not errors and row_key == col_key:
        errors["xb"] = _("Choose two different questions.")
    if errors:
        raise ResultsFilterError(errors)


def crosstab(
    *, responses: QuerySet[Response], questions: dict[str, Question], row_key: str,
    col_key: str, language: str,
) -> dict:  # fmt: skip
    """Counts of (row answer, column answer) among responses that answered both; a multiple
    choice counts each chosen option."""
    check_pair(questions, row_key, col_key)
    answers = Answer.objects.filter(
        response_id__in=responses.values("pk"), question_key__in=[row_key, col_key]
    ).values_list("response_id", "question_key", "number", "choices")
    given: dict[int, dict[str, list[str]]] = defaultdict(dict)
    for response_id, key, number, choices in answers.order_by():
        given[response_id][key] = [str(number)] if number is not None else [str(c) for c in choices]
    pairs = Counter()
    for answer in given.values():
        for a in answer.get(row_key, ()):
            for b in answer.get(col_key, ()):
                pairs[a, b] += 1
    rows = _categories(questions[row_key], language)
    cols = _categories(questions[col_key], language)
    known_rows = {v for v, _label in rows}
    known_cols = {v for v, _label in cols}
    rows += [(a, a) for a in sorted({a for a, _b in pairs} - known_rows)]
    cols += [(b, b) for b in sorted({b for _a, b in pairs} - known_cols)]
    table = [[pairs[r, c] for c, _cl in cols] for r, _rl in rows]
    row_totals = [sum(r) for r in table]
    col_totals = [sum(col) for col in zip(*table, strict=True)]
    total = sum(row_totals)
    test = stats.chi_square(table)
    expected = _expected_full(row_totals, col_totals, total)
    return {
        "row": {"key": row_key, "text": question_text(questions[row_key], language)},
        "col": {"key": col_key, "text": question_text(questions[col_key], language)},
        "columns": [label for _v, label in cols],
        "rows": [
            {
                "label": label, "total": row_totals[i],
                "cells": [
                    {
                        "count": count,
                        "row_share": stats.share(count, row_totals[i]),
                        "col_share": stats.share(count, col_totals[j]),
                        "small": bool(row_totals[i] and col_totals[j])
                        and expected[i][j] < stats.SMALL_EXPECTED,
                    }
                    for j, count in enumerate(table[i])
                ],
            }
            for i, (_v, label) in enumerate(rows)
        ],
        "col_totals": col_totals, "total": total,
        "chi_square": test.statistic, "dof": test.dof, "p_value": test.p_value,
        "small_expected_cells": test.small_expected_cells,
    }  # fmt: skip


def _expected_full(row_totals, col_totals, total) -> list[list[float]]:
    if not total:
        return [[0.0 for _c in col_totals] for _r in row_totals]
    return [[r * c / total for c in col_totals] for r in row_totals]
