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

RESPONSE_COLUMNS = (
    "survey_id", "version_id", "channel", "store", "source", "language", "status",
    "respondent_key", "submission_id", "consent_version", "started_at", "completed_at",
    "nps_score", "csat_score", "ces_score",
)  # fmt: skip
ANSWER_CASTS = ("bigint", "varchar", "smallint", "text", "jsonb", "varchar")


def insert_completed(response: Response, answers: Sequence[Answer]) -> None:
    """Insert a new, completed response and its answers; sets response.pk."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        with transaction.atomic():
            response.save(force_insert=True)
            for answer in answers:
                answer.response = response
            Answer.objects.bulk_create(answers)
        return
    response.respondent_key = response.respondent_key or uuid.uuid4()
    response.started_at = response.started_at or response.completed_at
    values: list[Any] = [_db_value(response, column) for column in RESPONSE_COLUMNS]
    rows = []
    for answer in answers:
        rows.append("(" + ", ".join(f"%s::{cast}" for cast in ANSWER_CASTS) + ")")
        values += [answer.question_id, answer.question_key, answer.number, answer.text,
                   json.dumps(answer.choices, ensure_ascii=False), answer.other_text]  # fmt: skip
    # Column names are the constants above and every value is a parameter: no injection.
    response_sql = (
        f"INSERT INTO surveys_response ({', '.join(RESPONSE_COLUMNS)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(RESPONSE_COLUMNS))}) RETURNING id"
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
        cursor.execute(sql, values)
        response.pk = cursor.fetchone()[0]
    response._state.adding = False
    response._state.db = connection.alias


def _db_value(response: Response, column: str) -> Any:
    value = getattr(response, column)
    if column == "source":
        return json.dumps(value or {}, ensure_ascii=False)
    return value
