"""Writing a completed response and its answers in ONE statement on PostgreSQL.

Public submission is the hottest write path of the product. A data-modifying CTE inserts
the response and all its answers atomically in one round trip, with no BEGIN/COMMIT
round trips around it: either everything is stored or nothing is. Other databases use
the ORM (two INSERTs inside a transaction). tests/surveys/api exercise both.
"""

import json
import uuid
from collections.abc import Sequence
from typing import Any

from django.db import connection, transaction

from surveys.models import Answer, Response
from surveys.responding.answers import CleanAnswer

# Column → SQL type: parameters in an INSERT … SELECT list need explicit types.
RESPONSE_COLUMNS = {
    "survey_id": "bigint", "version_id": "bigint", "channel": "varchar", "store": "varchar",
    "source": "jsonb", "language": "varchar", "status": "varchar", "respondent_key": "uuid",
    "submission_id": "uuid", "consent_version": "integer", "consent_text_id": "bigint",
    "consented_at": "timestamptz", "started_at": "timestamptz",
    "completed_at": "timestamptz", "nps_score": "smallint", "csat_score": "smallint",
    "ces_score": "smallint", "device_key": "varchar",
}  # fmt: skip
ANSWER_CASTS = ("bigint", "varchar", "smallint", "text", "jsonb", "varchar")


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
    values: list[Any] = [_db_value(response, column) for column in RESPONSE_COLUMNS]
    rows, answer_values = [], []
    for question_id, key, answer in answers:
        rows.append("(" + ", ".join(f"%s::{cast}" for cast in ANSWER_CASTS) + ")")
        choices = json.dumps(answer.choices, ensure_ascii=False)
        answer_values += [question_id, key, answer.number, answer.text, choices,
                          answer.other_text]  # fmt: skip
    # Column names are the constants above and every value is a parameter: no injection.
    placeholders = ", ".join(f"%s::{kind}" for kind in RESPONSE_COLUMNS.values())
    if survey_revision is None:
        source_sql = f"VALUES ({placeholders})"
    else:
        source_sql = f"SELECT {placeholders} WHERE EXISTS ({SURVEY_GUARD})"
        values += [response.survey_id, survey_revision]
    response_sql = (
        f"INSERT INTO surveys_response ({', '.join(RESPONSE_COLUMNS)}) {source_sql} RETURNING id"
    )
    if rows:
        sql = (
            f"WITH r AS ({response_sql}), a AS ("  # noqa: S608
            "INSERT INTO surveys_answer "
            "(response_id, question_id, question_key, number, text, choices, other_text) "
            "SELECT r.id, v.q, v.k, v.n, v.t, v.c, v.o FROM r, "
            f"(VALUES {', '.join(rows)}) AS v(q, k, n, t, c, o)) SELECT id FROM r"
        )
    else:
        sql = response_sql
    with connection.cursor() as cursor:
        cursor.execute(sql, values + answer_values)
        row = cursor.fetchone()
    if row is None:
        raise SurveyChanged
    response.pk = row[0]
    response._state.adding = False
    response._state.db = connection.alias


def _db_value(response: Response, column: str) -> Any:
    value = getattr(response, column)
    if column == "source":
        return json.dumps(value or {}, ensure_ascii=False)
    return value
