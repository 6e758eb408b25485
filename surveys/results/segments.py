"""Customer segments kept in a survey's results pre-aggregate (PostgreSQL only), and the
registry the higher apps offer them through (`analytics` registers "rfm_segment" and
"value_tier" of the latest CLV run; `surveys` never imports it).

At a build each fact gets `segments`: "<key>:<value>" of its customer for every registered
key, and the cells a facet "segment:<key>:<value>" per value. The cube keeps the `basis` the
values were read for (e.g. the latest CLV run's id); a read whose current basis differs
(a new CLV run) counts segments from the customers instead, exact but slower, until the
next refresh rebuilds the pre-aggregate with the new values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

from surveys.results.filters import ResultFilters


@dataclass(frozen=True)
class FactSegment:
    """`key`: the audience filter's key; `basis()`: what the values currently are of (it
    changes whenever any customer's value may change, e.g. "clv-run:12"); `values()`: the
    (customer id, value) rows of every customer that has one, read for that basis or later."""

    key: str
    basis: Callable[[], str]
    values: Callable[[], QuerySet]


_SEGMENTS: dict[str, FactSegment] = {}


def register_fact_segment(segment: FactSegment) -> None:
    _SEGMENTS[segment.key] = segment


def unregister_fact_segment(key: str) -> None:
    """Remove one (tests)."""
    _SEGMENTS.pop(key, None)


def current_basis() -> str:
    """The basis of every registered segment, as one string ("" when none is registered)."""
    return ";".join(f"{key}={_SEGMENTS[key].basis()}" for key in sorted(_SEGMENTS))


def segments_in_cube(cube, filters: ResultFilters) -> bool:
    """Whether the cube's facts and cells answer the filters' customer segments: every one is
    registered and the cube was built for the current basis."""
    if not filters.segments:
        return True
    if any(key not in _SEGMENTS for key, _chosen in filters.segments):
        return False
    return bool(cube.segments_basis) and cube.segments_basis == current_basis()


def segment_names(key: str, chosen) -> list[str]:
    """The fact values of `key` being any of `chosen` (a customer has one value per key)."""
    return [f"{key}:{value}" for value in chosen]


def set_fact_segments(cursor, survey_id: int, window: tuple | None) -> None:
    """Fill the `segments` of the survey's facts (of the responses completed in `window`,
    [low, high), when given) from the registered values. Read the basis before calling:
    values newer than it only make the cube's basis look out of date, never the reverse."""
    parts, args = [], []
    for key in sorted(_SEGMENTS):
        sql, values_args = _SEGMENTS[key].values().query.sql_with_params()
        parts.append(f"SELECT v.c AS customer_id, %s || v.x AS segment FROM ({sql}) v(c, x)")  # noqa: S608
        args.extend([f"{key}:", *values_args])
    if not parts:
        return
    union = " UNION ALL ".join(parts)
    statement = (
        "UPDATE surveys_resultfact f SET segments = s.segments FROM ("  # noqa: S608
        " SELECT customer_id, array_agg(segment ORDER BY segment) AS segments"
        f" FROM ({union}) u WHERE segment IS NOT NULL GROUP BY customer_id) s"
        " WHERE f.survey_id = %s AND f.customer_id = s.customer_id"
    )
    args.append(survey_id)
    if window:
        statement += (
            " AND f.response_id IN (SELECT id FROM surveys_response WHERE survey_id = %s"
            " AND status = 'completed' AND completed_at >= %s AND completed_at < %s)"
        )
        args.extend([survey_id, *window])
    cursor.execute(statement, args)
