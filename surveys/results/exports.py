"""Raw-data exports of a survey's filtered responses: one row per response, one column per
question (a multiple choice expands to one 0/1 column per option), metadata first.

CSV is streamed as it is read (UTF-8 with BOM, so Excel opens it) — on PostgreSQL written
by the server with COPY (`export_copy`), on SQLite row by row here; XLSX is written with
openpyxl's write-only workbook and SPSS .sav with pyreadstat into a temporary file that is
then streamed. Responses are read in id order in batches, so memory stays flat for CSV and
XLSX whatever the survey's size; every text cell goes through the formula guard.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from surveyhub.spreadsheets.formula_guard import safe_cell
from surveys.models import Answer, Channel, Question, QuestionType, Response
from surveys.questions.words import WORD_TYPES, file_words_in
from surveys.responding.answers import OTHER, SCALES
from surveys.results.filters import CHOICE_TYPES, TEXT_TYPES
from surveys.results.labels import option_labels, question_text

BATCH = 2000
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "sav": "application/x-spss-sav",
}


@dataclass(frozen=True)
class Column:
    name: str  # the header (codes) / SPSS variable name
    label: str  # what a person reads
    key: str = ""  # the question key; "" for metadata
    option: str | None = None  # multiple choice: the option this 0/1 column is for
    # "value", "other" (the "other" text), "flag" (0/1), "file" (its name), "row" (a matrix
    # row's point), "rank" (a ranked option's place)
    part: str = "value"
    numeric: bool = False
    value_labels: tuple[tuple[object, str], ...] = ()


META = (
    ("response_id", "Response"), ("completed_at", "Completed at"),
    ("duration_seconds", "Duration (seconds)"), ("channel", "Channel"), ("store", "Store"),
    ("version", "Version"), ("distribution_id", "Distribution"), ("customer_id", "Customer"),
    ("language", "Language"),
)  # fmt: skip
NUMERIC_META = {"response_id", "duration_seconds", "version", "distribution_id", "customer_id"}


def _meta_label(name: str) -> str:
    labels = {
        "response_id": _("Response ID"), "completed_at": _("Completed at"),
        "duration_seconds": _("Duration (seconds)"), "channel": _("Channel"),
        "store": _("Store"), "version": _("Version"), "distribution_id": _("Distribution"),
        "customer_id": _("Customer"), "language": _("Language"),
    }  # fmt: skip
    return labels[name]


def export_columns(questions: dict[str, Question], language: str) -> list[Column]:
    columns = [Column(n, _meta_label(n), numeric=n in NUMERIC_META) for n, _label in META]
    for key, question in questions.items():
        text = question_text(question, language)
        if question.type in SCALES or question.type == QuestionType.SLIDER:
            columns.append(Column(key, text, key, numeric=True))
        elif question.type in (QuestionType.MULTIPLE, QuestionType.IMAGE_MULTIPLE):
            labels = option_labels(question, language)
            yes_no = ((0, _("No")), (1, _("Yes")))
            for value, label in labels.items():
                columns.append(Column(f"{key}_{value}", f"{text}: {label}", key, value,
                                      "flag", True, yes_no))  # fmt: skip
        elif question.type in CHOICE_TYPES or question.type == QuestionType.CONSENT:
            labels = option_labels(question, language)
            columns.append(Column(key, text, key, value_labels=tuple(labels.items())))
        elif question.type in (QuestionType.MATRIX, QuestionType.RANKING):
            # A column per row: its point on the scale (matrix) or its place (ranking).
            part = "row" if question.type == QuestionType.MATRIX else "rank"
            for value, label in option_labels(question, language).items():
                columns.append(Column(f"{key}_{value}", f"{text}: {label}", key, value,
                                      part, True))  # fmt: skip
        elif question.type in TEXT_TYPES | WORD_TYPES | {QuestionType.DATE}:
            part = "file" if question.type == QuestionType.FILE else "value"
            columns.append(Column(key, text, key, part=part))
        if question.allow_other and question.type in CHOICE_TYPES:
            other = _("“Other” text")
            columns.append(Column(f"{key}_other_text", f"{text}: {other}", key, part="other"))
    return columns


def _answers_of(ids: list[int]) -> dict[int, dict[str, tuple]]:
    """The answers of a batch of responses, read with a plain cursor: the ORM's per-row
    converters cost more than the rest of the export."""
    found: dict[int, dict[str, tuple]] = {i: {} for i in ids}
    rows = Answer.objects.filter(response_id__in=ids).values_list(
        "response_id", "question_key", "number", "text", "choices", "other_text"
    )
    sql, params = rows.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for response_id, key, number, text, choices, other in cursor.fetchall():
            if isinstance(choices, str):  # SQLite hands out the JSON text
                choices = json.loads(choices) if choices != "[]" else []
            found[response_id][key] = (number, text, choices or [], other)
    file_words_in(found)  # uploaded files by their name, not their token
    return found


def response_rows(
    responses: QuerySet[Response], columns: list[Column], *, codes: bool
) -> Iterator[list]:
    """One list of cell values per response, in id order, read in batches of BATCH."""
    channel_labels = {value: str(label) for value, label in Channel.choices}
    labels = {c.key: dict(c.value_labels) for c in columns if c.value_labels and c.part == "value"}
    meta = responses.order_by("pk").values_list(
        "pk", "completed_at", "started_at", "channel", "store", "version__number",
        "invitation__distribution_id", "customer_id", "language",
    )  # fmt: skip
    last = 0
    while True:
        batch = list(meta.filter(pk__gt=last)[:BATCH])
        if not batch:
            return
        last = batch[-1][0]
        answers = _answers_of([row[0] for row in batch])
        for pk, done, started, channel, store, version, dist, customer, lang in batch:
            given = answers[pk]
            duration = round((done - started).total_seconds()) if done and started else None
            local = timezone.localtime(done).strftime("%Y-%m-%d %H:%M:%S") if done else ""
            channel_cell = channel if codes else channel_labels.get(channel, channel)
            row = [pk, local, duration, channel_cell, store, version, dist, customer, lang]
            for column in columns[len(META) :]:
                answer = given.get(column.key)
                row.append(_cell(column, answer, labels.get(column.key), codes))
            yield row


def _row_number(column: Column, choices) -> int | None:
    """A matrix row's point ("quality:5" → 5) or a ranked option's place (1 = first)."""
    picked = [str(c) for c in choices]
    if column.part == "rank":
        return picked.index(column.option) + 1 if column.option in picked else None
    point = next((c.split(":", 1)[1] for c in picked if c.startswith(f"{column.option}:")), "")
    return int(point) if point.lstrip("-").isdigit() else None


def _cell(column: Column, answer, labels, codes: bool):
    if answer is None:
        return 0 if column.part == "flag" else None
    number, text, choices, other = answer
    if column.part == "flag":
        return 1 if column.option in choices else 0
    if column.part == "other":
        return other or None
    if column.part in ("row", "rank"):
        return _row_number(column, choices)
    if column.numeric:
        return number
    if labels is not None:
        picked = [str(c) for c in choices]
        return ", ".join(p if codes else str(labels.get(p, p)) for p in picked) or None
    return text or None


def _headers(columns: list[Column], codes: bool) -> list[str]:
    return [c.name if codes else c.label for c in columns]


def stream_csv(responses, columns, *, codes: bool) -> Iterator[bytes]:
    """The CSV as byte chunks: a BOM, the header row, then about BATCH rows per chunk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in _headers(columns, codes)])
    yield "\ufeff".encode() + buffer.getvalue().encode()
    buffer.seek(0)
    buffer.truncate()
    if connection.vendor == "postgresql":
        from surveys.results.export_copy import copy_csv_rows

        yield from copy_csv_rows(responses, columns, len(META), codes=codes)
        return
    for n, row in enumerate(response_rows(responses, columns, codes=codes), 1):
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
        if n % BATCH == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def write_xlsx(responses, columns, *, codes: bool, title: str):
    """A write-only workbook in a temporary file (rewound), memory flat whatever the size."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    sheet.append([safe_cell(h) for h in _headers(columns, codes)])
    for row in response_rows(responses, columns, codes=codes):
        sheet.append([safe_cell(v) for v in row])
    target = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the response streaming it
    workbook.save(target)
    target.seek(0)
    return target


def _sheet_title(title: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "responses"


def _spss_name(name: str, taken: set[str]) -> str:
    base = re.sub(r"\W", "_", name, flags=re.ASCII)[:60] or "v"
    if not base[0].isalpha():
        base = f"v_{base}"[:60]
    candidate, n = base, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{base[:56]}_{n}"
    taken.add(candidate.lower())
    return candidate


def write_sav(responses, columns, *, codes: bool):
    """An SPSS .sav with variable labels and value labels: choice answers are stored as
    numeric codes 1…k labelled with their options (0/1 labelled No/Yes for a multiple
    choice), so SPSS shows labels and computes on codes. Built in memory, column-wise."""
    import pandas as pd
    import pyreadstat

    taken: set[str] = set()
    names = [_spss_name(c.name, taken) for c in columns]
    codes_of = {
        i: {str(v): n for n, (v, _label) in enumerate(c.value_labels, 1)}
        for i, c in enumerate(columns)
        if c.value_labels and c.part == "value"
    }
    data: list[list] = [[] for _ in columns]
    for row in response_rows(responses, columns, codes=True):
        for i, value in enumerate(row):
            if i in codes_of and value is not None:
                value = codes_of[i].get(str(value).split(", ")[0])
            data[i].append(value)
    series = {
        name: pd.Series(values, dtype=_dtype(columns[i], i in codes_of))
        for i, (name, values) in enumerate(zip(names, data, strict=True))
    }
    frame = pd.DataFrame(series)
    value_labels = {}
    for i, column in enumerate(columns):
        if i in codes_of:
            value_labels[names[i]] = {n: str(label) for n, (_v, label) in
                                      enumerate(column.value_labels, 1)}  # fmt: skip
        elif column.value_labels:
            value_labels[names[i]] = {v: str(label) for v, label in column.value_labels}
    target = tempfile.NamedTemporaryFile(suffix=".sav")  # noqa: SIM115 - as above
    pyreadstat.write_sav(
        frame, target.name, column_labels=[str(c.label) for c in columns],
        variable_value_labels=value_labels,
    )  # fmt: skip
    target.seek(0)
    return target


def _dtype(column: Column, coded: bool) -> str:
    return "float64" if column.numeric or coded else "object"


def export_filename(survey, fmt: str) -> str:
    return f"{survey.slug}-responses-{timezone.localdate().isoformat()}.{fmt}"


__all__ = ["CONTENT_TYPES", "OTHER", "export_columns", "stream_csv", "write_sav", "write_xlsx"]
