"""The CSV rows of an export on PostgreSQL, written by the server: one COPY (SELECT …) TO
STDOUT whose SELECT pivots each response's answers into the export's columns (labels by a
CASE built from the survey definition, the formula guard as a regular expression), streamed
through psycopg's copy in chunks. The same cells as `exports.response_rows` + `safe_cell`,
at server speed and with flat memory in the exporting process.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from psycopg import sql

from surveyhub.spreadsheets.formula_guard import CONTROL_STARTS, FORMULA_STARTS
from surveys.models import Channel, Response

CHUNK = 256 * 1024
# What Python's str.lstrip() takes away (str.isspace), then a formula start — or a tab/CR.
_SPACES = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_STARTS = "".join("\\" + c if c in "-^]\\" else c for c in FORMULA_STARTS)
FORMULA_REGEX = f"^([{''.join(CONTROL_STARTS)}]|[{_SPACES}]*[{_STARTS}])"
# The same test without a regular expression (a quarter of the export's time): the first
# character, and the first after ltrim() of every character str.isspace() takes.
SPACE_CHARACTERS = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())


def _guard(expression: sql.Composable) -> sql.Composable:
    """`expression` (text) with an apostrophe first when a spreadsheet could take it for a
    formula (`safe_cell`). `expression` is a column, cheap to repeat: a subquery per cell
    would cost more than the rest of the row."""
    return sql.SQL(
        "CASE WHEN left({e}, 1) = ANY({controls}) OR left(ltrim({e}, {spaces}), 1) = ANY({starts})"
        " THEN '''' || {e} ELSE {e} END"
    ).format(
        e=expression, controls=sql.Literal(list(CONTROL_STARTS)),
        spaces=sql.Literal(SPACE_CHARACTERS), starts=sql.Literal(list(FORMULA_STARTS)),
    )  # fmt: skip


def _of(key: str, expression: str) -> sql.Composable:
    return sql.SQL("max({e}) FILTER (WHERE a.question_key = {key})").format(
        e=sql.SQL(expression), key=sql.Literal(key)
    )


def _labelled(key: str, labels: dict | None) -> sql.Composable:
    """The chosen options of `key` joined by ", ", each as its label (or code)."""

    def item(value: sql.Composable) -> sql.Composable:
        if not labels:
            return value
        cases = sql.SQL(" ").join(
            sql.SQL("WHEN {v} THEN {label}").format(
                v=sql.Literal(str(v)), label=sql.Literal(str(label))
            )
            for v, label in labels.items()
        )
        return sql.SQL("CASE {value} {cases} ELSE {value} END").format(value=value, cases=cases)

    # One option chosen (single choice, dropdown): a plain CASE, no subquery per answer.
    picked = sql.SQL(
        "CASE WHEN jsonb_typeof(a.choices) <> 'array' THEN NULL"
        " WHEN jsonb_array_length(a.choices) = 1 THEN {single}"
        " ELSE (SELECT string_agg({many}, ', ' ORDER BY e.o) FROM jsonb_array_elements_text("
        "a.choices) WITH ORDINALITY e(c, o)) END"
    ).format(single=item(sql.SQL("(a.choices ->> 0)")), many=item(sql.SQL("e.c")))
    return sql.SQL("max({p}) FILTER (WHERE a.question_key = {key})").format(
        p=picked, key=sql.Literal(key)
    )


def _column(column, labels, codes: bool) -> sql.Composable:
    key = column.key
    if column.part == "flag":
        inner = sql.SQL(
            "coalesce(max(CASE WHEN a.choices @> jsonb_build_array({o}::text) THEN 1 ELSE 0 END)"
            " FILTER (WHERE a.question_key = {key}), 0)"
        ).format(o=sql.Literal(column.option), key=sql.Literal(key))
        return sql.SQL("coalesce(p.{n}, 0)").format(n=sql.Identifier(_alias(column))), inner
    if column.part in ("row", "rank"):  # a matrix row's point, a ranked option's place
        found = (
            "(SELECT e.o::int FROM jsonb_array_elements_text(a.choices) WITH ORDINALITY e(c, o)"
            " WHERE e.c = {o} LIMIT 1)"
            if column.part == "rank"
            else "(SELECT substr(e.c, length({o}) + 2)::int FROM jsonb_array_elements_text("
            "a.choices) e(c) WHERE left(e.c, length({o}) + 1) = {o} || ':'"
            " AND substr(e.c, length({o}) + 2) ~ '^-?[0-9]{{1,9}}$' LIMIT 1)"
        )
        inner = sql.SQL("max(CASE WHEN jsonb_typeof(a.choices) = 'array' THEN "
                        + found + " END) FILTER (WHERE a.question_key = {key})").format(
            o=sql.Literal(column.option), key=sql.Literal(key)
        )  # fmt: skip
        return sql.SQL("p.{n}").format(n=sql.Identifier(_alias(column))), inner
    if column.part == "other":
        inner = _of(key, "nullif(a.other_text, '')")
    elif column.numeric:
        inner = _of(key, "a.number")
        return sql.SQL("p.{n}").format(n=sql.Identifier(_alias(column))), inner
    elif column.part == "file":  # an uploaded file by its name (the answer holds its token)
        inner = _of(
            key,
            "(SELECT f.name FROM surveys_responsefile f"
            " WHERE f.response_id = a.response_id AND f.token = a.text)",
        )
    elif labels is not None:
        inner = _labelled(key, None if codes else labels)
    else:
        inner = _of(key, "nullif(a.text, '')")
    outer = _guard(sql.SQL("p.{n}").format(n=sql.Identifier(_alias(column))))
    return outer, inner


def _alias(column) -> str:
    return f"c_{column.name}"[:60]


def copy_statement(responses: QuerySet[Response], columns, meta_count: int, *, codes: bool):
    """The COPY statement and its parameters for `responses` and the export's `columns`."""
    ids = _inline(*responses.order_by().values("pk").query.sql_with_params())
    labels = {c.key: dict(c.value_labels) for c in columns if c.value_labels and c.part == "value"}
    outers, inners = [], []
    for n, column in enumerate(columns[meta_count:]):
        outer, inner = _column(column, labels.get(column.key), codes)
        alias = sql.Identifier(f"c{n}")
        outers.append(sql.SQL("{o} AS {a}").format(o=outer, a=alias))
        inners.append(sql.SQL("{i} AS {n}").format(i=inner, n=sql.Identifier(_alias(column))))
    if codes:
        channel = sql.SQL("r.channel")
    else:
        channel = sql.SQL("CASE r.channel {cases} ELSE r.channel END").format(
            cases=sql.SQL(" ").join(
                sql.SQL("WHEN {v} THEN {label}").format(
                    v=sql.Literal(v), label=sql.Literal(str(label))
                )
                for v, label in Channel.choices
            )
        )
    query = sql.SQL(
        "COPY (SELECT r.id, to_char(r.completed_at AT TIME ZONE {tz}, 'YYYY-MM-DD HH24:MI:SS'),"
        " round(extract(epoch FROM r.completed_at - r.started_at)),"
        " {channel}, {store}, v.number, i.distribution_id, r.customer_id, {language}, {outers}"
        " FROM surveys_response r"
        " JOIN surveys_surveyversion v ON v.id = r.version_id"
        " LEFT JOIN surveys_invitation i ON i.id = r.invitation_id"
        " LEFT JOIN (SELECT a.response_id, {inners} FROM surveys_answer a"
        "   WHERE a.response_id IN ({ids}) GROUP BY a.response_id) p ON p.response_id = r.id"
        " WHERE r.id IN ({ids}) ORDER BY r.id) TO STDOUT WITH (FORMAT csv)"
    ).format(
        tz=sql.Literal(timezone.get_current_timezone_name()),
        channel=channel,
        store=_guard(sql.SQL("nullif(r.store, '')")),
        language=_guard(sql.SQL("nullif(r.language, '')")),
        outers=sql.SQL(", ").join(outers) if outers else sql.SQL("NULL"),
        inners=sql.SQL(", ").join(inners) if inners else sql.SQL("NULL AS none"),
        ids=ids,
    )
    return query


def copy_csv_rows(
    responses: QuerySet[Response], columns, meta_count: int, *, codes: bool
) -> Iterator[bytes]:
    """The export's data rows as CSV bytes, in chunks of about CHUNK bytes."""
    query = copy_statement(responses, columns, meta_count, codes=codes)
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        # JIT-compiling the pivot's many expressions costs more than it saves here.
        cursor.execute("SET jit = off")
        try:
            buffer = bytearray()
            with cursor.copy(query) as copy:
                for data in copy:
                    buffer += data
                    if len(buffer) >= CHUNK:
                        yield bytes(buffer)
                        buffer.clear()
            if buffer:
                yield bytes(buffer)
        finally:
            cursor.execute("RESET jit")


def _inline(query: str, params) -> sql.Composed:
    """Django's SQL with its parameters as literals (COPY takes no bound parameters)."""
    parts = query.split("%s")
    assert len(parts) == len(params) + 1, "unexpected placeholder"
    pieces = [sql.SQL(parts[0].replace("%%", "%"))]
    for param, part in zip(params, parts[1:], strict=True):
        pieces += [sql.Literal(param), sql.SQL(part.replace("%%", "%"))]
    return sql.Composed(pieces)
