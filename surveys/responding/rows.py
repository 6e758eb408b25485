"""Writing a completed response and its answers in ONE statement on PostgreSQL.

Public submission is the hottest write path of the product. A data-modifying CTE inserts
the response and all its answers atomically in one round trip, with no BEGIN/COMMIT
round trips around it: either everything is stored or nothing is. Other databases use
the ORM (two INSERTs inside a transaction). tests/surveys/api exercise both.
"""

import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import connection, transaction

from surveys.models import Answer, Response
from surveys.responding.answers import CleanAnswer

# The columns a completed response is inserted with (their types are the table's own).
RESPONSE_COLUMNS = (
    "survey_id", "version_id", "channel", "store", "source", "language", "status",
    "respondent_key", "submission_id", "consent_version", "consent_text_id", "consented_at",
    "started_at", "completed_at", "nps_score", "csat_score", "ces_score", "device_key",
)  # fmt: skip
ANSWER_COLUMNS = ("question_id", "question_key", "number", "text", "choices", "other_text")


class SurveyChanged(Exception):
    """The survey was closed or edited since the caller read it: read it again and retry."""


# The response is inserted only if, at that instant, its survey is still the one the caller
# validated against (same `updated_at`, which every publish, close and edit moves) and open.
SURVEY_GUARD = (
    "SELECT 1 FROM surveys_survey WHERE id = %s::bigint AND updated_at = %s::timestamptz "
    "AND status = 'active' "
    "AND (opens_at IS NULL OR opens_at <= now()) AND (closes_at IS NULL OR closes_at > now())"
)


def fast_path_available() -> bool:
    """The single-statement path: PostgreSQL, outside any transaction."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


# (question id, question key, checked answer): plain rows, no model instances on the hot path.
AnswerRow = tuple[int, str, CleanAnswer]


def insert_completed(
    response: Response, answers: Sequence[AnswerRow], *, survey_revision=None
) -> None:
    """Insert a new, completed response and its answers; sets response.pk.

    With `survey_revision` (the survey's `updated_at` the answers were checked against), the
    statement itself verifies the survey is unchanged and open, and raises SurveyChanged
    otherwise — so callers may validate against a cached survey.
    """
    if not fast_path_available():
        with transaction.atomic():
            response.save(force_insert=True)
            Answer.objects.bulk_create(
                Answer(response=response, question_id=question_id, question_key=key,
                       number=a.number, text=a.text, choices=a.choices, other_text=a.other_text)
                for question_id, key, a in answers
            )  # fmt: skip
        return
    response.respondent_key = response.respondent_key or uuid.uuid4()
    response.started_at = response.started_at or response.completed_at
    # Two JSON parameters (the response, its answers) rather than one per value: psycopg
    # binds on the client, and formatting ~40 typed parameters cost more CPU than the rest
    # of the insert; PostgreSQL reads the JSON into rows of the tables' own column types.
    record = json.dumps({column: getattr(response, column) for column in RESPONSE_COLUMNS},
                        ensure_ascii=False, default=_json_value)  # fmt: skip
    values: list[Any] = [record]
    if survey_revision is not None:
        values += [response.survey_id, survey_revision]
    if answers:
        values.append(json.dumps(
            [{"question_id": question_id, "question_key": key, "number": a.number,
              "text": a.text, "choices": a.choices, "other_text": a.other_text}
             for question_id, key, a in answers],
            ensure_ascii=False,
        ))  # fmt: skip
    sql = _INSERT_SQL[(survey_revision is not None, bool(answers))]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        raise SurveyChanged
    response.pk = row[0]
    response._state.adding = False
    response._state.db = connection.alias


def _json_value(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not a column value")


def _insert_sql(guarded: bool, with_answers: bool) -> str:
    columns = ", ".join(RESPONSE_COLUMNS)
    # Column names are the constants above and every value is a parameter: no injection.
    response_sql = (
        f"INSERT INTO surveys_response ({columns}) SELECT {columns} "  # noqa: S608
        "FROM jsonb_populate_record(NULL::surveys_response, %s::jsonb)"
        + (f" WHERE EXISTS ({SURVEY_GUARD})" if guarded else "")
        + " RETURNING id"
    )
    if not with_answers:
        return response_sql
    answer_columns = ", ".join(ANSWER_COLUMNS)
    picked = ", ".join(f"v.{c}" for c in ANSWER_COLUMNS)
    return (
        f"WITH r AS ({response_sql}), a AS ("  # noqa: S608
        f"INSERT INTO surveys_answer (response_id, {answer_columns}) SELECT r.id, {picked} "
        "FROM r, jsonb_populate_recordset(NULL::surveys_answer, %s::jsonb) AS v) SELECT id FROM r"
    )


# (guarded by the survey's revision, with answers) → the statement: built once.
_INSERT_SQL = {(g, a): _insert_sql(g, a) for g in (False, True) for a in (False, True)}
