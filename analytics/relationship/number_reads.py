"""Bulk reads of integer columns as pandas frames, and local wall-clock times as integers.

On PostgreSQL the server joins the rows into one text — one round trip, one string in
memory — that pandas' C parser reads, instead of a Python tuple per row (at a million
purchases that is seconds, not minutes). On the embedded default (SQLite, the demo's few
thousand rows) the rows are read as they are: the same frame, by the plain path."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connection
from django.db.models import BigIntegerField, Func, Value


class _LocalEpochMicros(Func):
    """A timestamp's local wall-clock time (settings.TIME_ZONE), truncated to `unit`, in
    microseconds since 1970-01-01 — an integer."""

    unit = "second"
    arg_joiner = " AT TIME ZONE "
    output_field = BigIntegerField()

    def __init__(self, moment):
        super().__init__(moment, Value(settings.TIME_ZONE))

    def as_sqlite(self, compiler, connection, **extra):
        moment, moment_params = compiler.compile(self.source_expressions[0])
        local, params = connection.ops.datetime_trunc_sql(
            self.unit, moment, moment_params, settings.TIME_ZONE
        )
        # strftime('%s') reads the local text as if it were UTC: the wall-clock's epoch.
        micros = f"(CAST(strftime('%%s', {local}) AS INTEGER) * 1000000)"
        if self.unit == "second":  # and the stored text's microseconds (…SS.ffffff)
            micros += f" + CAST(substr({moment}, 21, 6) AS INTEGER)"
            params = (*params, *moment_params)
        return f"({micros})", params


class LocalMicros(_LocalEpochMicros):
    template = "(extract(epoch FROM %(expressions)s) * 1000000)::bigint"


class LocalQuarterMicros(_LocalEpochMicros):
    """The start of the local quarter of a timestamp."""

    unit = "quarter"
    template = "(extract(epoch FROM date_trunc('quarter', %(expressions)s)) * 1000000)::bigint"


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: np.array([], dtype="int64") for c in columns})


def _empty_by_key(key: str, columns: list[str]) -> pd.DataFrame:
    return _empty(columns).assign(**{key: pd.Series(dtype=object)})[[key, *columns]]


def _rows(query: str, params: list) -> list[tuple]:
    """The query's rows as they are (the embedded default's plain path)."""
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def _csv_frame(text: str, columns: list[str]) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), header=None, names=columns, dtype="int64")


def queryset_frame(queryset, columns: list[str]) -> pd.DataFrame:
    """The integer columns (never NULL) of a `values_list` queryset, as an int64 frame."""
    query, params = queryset.query.sql_with_params()
    return numbers_frame(query, list(params), columns)


def numbers_frame(query: str, params: list, columns: list[str]) -> pd.DataFrame:
    """The integer columns (never NULL) a query selects, as an int64 frame."""
    if connection.vendor != "postgresql":
        rows = _rows(query, params)
        if not rows:
            return _empty(columns)
        return pd.DataFrame(np.array(rows, dtype="int64").reshape(-1, len(columns)),
                            columns=columns)  # fmt: skip
    from psycopg import sql

    names = sql.SQL(", ").join(sql.Identifier(f"c{i}") for i in range(len(columns)))
    joined = sql.SQL(
        "SELECT string_agg(concat_ws(',', {names}), E'\\n') FROM ({query}) AS q ({names})"
    ).format(names=names, query=sql.SQL(query))
    with connection.cursor() as cursor:
        cursor.execute(joined.as_string(cursor.connection), params)
        text = cursor.fetchone()[0]
    return _csv_frame(text, columns) if text else _empty(columns)


def numbers_by_key(query: str, params: list, key: str, columns: list[str]) -> pd.DataFrame:
    """As numbers_frame for a query selecting a text first (a category: few distinct values)
    and integers after it: one joined text per key, the key repeated on its rows."""
    if connection.vendor != "postgresql":
        rows = _rows(query, params)
        if not rows:
            return _empty_by_key(key, columns)
        frame = pd.DataFrame(rows, columns=[key, *columns])
        return frame.astype({c: "int64" for c in columns})
    from psycopg import sql

    names = [sql.Identifier(f"c{i}") for i in range(len(columns) + 1)]
    joined = sql.SQL(
        "SELECT {key}, string_agg(concat_ws(',', {numbers}), E'\\n') FROM ({query}) AS q ({names})"
        " GROUP BY {key}"
    ).format(
        key=names[0], numbers=sql.SQL(", ").join(names[1:]),
        names=sql.SQL(", ").join(names), query=sql.SQL(query),
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(joined.as_string(cursor.connection), params)
        groups = cursor.fetchall()
    parts = [_csv_frame(text, columns).assign(**{key: value}) for value, text in groups]
    if not parts:
        return _empty_by_key(key, columns)
    return pd.concat(parts, ignore_index=True)[[key, *columns]]
