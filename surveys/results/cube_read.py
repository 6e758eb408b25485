"""Reading a survey's results pre-aggregate (`surveys.results.cube`, PostgreSQL only): the
responses, per-question counts and quality-flag counts of any filter set, exactly.

- One facet (or none) besides days and quality exclusions: the cells of that facet — or of
  the few disjoint facets of a score range such as "NPS 0–6" — over the days, flags masked.
  Customer segments are facets too while the cube holds the current ones
  (`surveys.results.segments`).
- Two facets or more: per day the AND of their bitmaps (`surveys.results.cube_bits`), each
  code counted by a popcount of it with the code's bitmap.
- Anything else (segments of a newer CLV run; a survey without complete bitmaps): one scan
  of the matching facts, each response's codes counted.
Either way the tail completed since the watermark is counted live and added.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection

from surveys.models import Customer, ResultCube, Survey
from surveys.results.cube import ANSWERED, GROUP, NUMBER, RESPONSES
from surveys.results.filters import ResultFilters
from surveys.results.quality import FLAG_BITS
from surveys.results.segments import segment_names, segments_in_cube
from surveys.scoring.rules import NPS_GROUPS, nps_group_range


@dataclass
class CodedCounts:
    """What the cells or facts say: responses per flag mask and counts per code."""

    responses: Counter = field(default_factory=Counter)  # flags mask → responses
    codes: Counter = field(default_factory=Counter)  # code → count


def survey_codes(survey_id: int) -> dict[int, tuple[str, int, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT code, question_key, kind, value FROM surveys_resultcode WHERE survey_id = %s",
            [survey_id],
        )
        return {code: (key, kind, value) for code, key, kind, value in cursor.fetchall()}


def _code_of(codes: dict, key: str, kind: int, value: str) -> int | None:
    if "_index" not in codes:
        codes["_index"] = {triple: code for code, triple in codes.items()}
    return codes["_index"].get((key, kind, value))


def exclusion_mask(filters: ResultFilters) -> int:
    mask = 0
    for flag in filters.exclude:
        mask |= FLAG_BITS[flag]
    return mask


def cube_facets(
    filters: ResultFilters, codes: dict, score_keys: set[str], *, segments: bool = False
) -> list[str] | None:
    """The disjoint facets whose cells sum to the filters (days and exclusions aside): ["*"]
    for none, None when the cells cannot express them (two facets, customer segments the
    cube does not hold — `segments` says it does —, a score range of a question whose scores
    are not facets)."""
    if filters.segments and not segments:
        return None
    found: list[list[str]] = []
    for key, chosen in filters.segments:
        found.append([f"segment:{name}" for name in segment_names(key, chosen)])
    if filters.region:
        found.append([f"region:{filters.region}"])
    if filters.channel:
        found.append([f"channel:{filters.channel}"])
    if filters.store:
        found.append([f"store:{filters.store}"])
    if filters.version:
        found.append([f"version:{filters.version}"])
    if filters.distribution:
        found.append([f"distribution:{filters.distribution}"])
    if filters.nps_group:
        found.append([f"nps_group:{filters.nps_group}"])
    for answer in filters.answers:
        if answer.choice is not None:
            code = _code_of(codes, answer.key, 3, answer.choice)
            found.append([f"code:{code}"] if code is not None else [])
        elif answer.key in score_keys:
            found.append(_score_facets(codes, answer.key, answer.low, answer.high))
        else:
            return None
    if len(found) > 1:
        return None
    return found[0] if found else ["*"]


def _score_facets(codes: dict, key: str, low: int, high: int) -> list[str]:
    """The disjoint facets of the responses that gave `key` a score from `low` to `high`:
    each NPS group wholly inside the range whose facet the cube holds (a marker code, see
    `cube._add_group_markers`), and one facet per remaining score."""
    facets, scores = [], set(range(low, high + 1))
    for group in NPS_GROUPS:
        first, last = nps_group_range(group)
        inside = set(range(first, last + 1))
        if inside <= scores and _code_of(codes, key, GROUP, group.value) is not None:
            facets.append(f"scores:{key}:{group.value}")
            scores -= inside
    numbers = (_code_of(codes, key, NUMBER, str(n)) for n in sorted(scores))
    return facets + [f"code:{c}" for c in numbers if c is not None]


def cell_counts(cube: ResultCube, facets: list[str], filters: ResultFilters) -> CodedCounts:
    """The cells of `facets` over the filters' days, minus the excluded flags."""
    result = CodedCounts()
    if not facets:
        return result
    sql = (
        "SELECT flags, code, sum(n)::bigint FROM surveys_resultcubecell"
        " WHERE survey_id = %s AND facet = ANY(%s)"
    )
    params: list = [cube.survey_id, facets]
    sql, params = _days_and_flags(sql, params, filters, "")
    sql += " GROUP BY flags, code"
    return _read(sql, params)


def _days_and_flags(sql: str, params: list, filters: ResultFilters, prefix: str):
    if filters.start:
        sql += f" AND {prefix}day >= %s"
        params.append(filters.start)
    if filters.end:
        sql += f" AND {prefix}day <= %s"
        params.append(filters.end)
    mask = exclusion_mask(filters)
    if mask:
        sql += f" AND {prefix}flags & %s = 0"
        params.append(mask)
    return sql, params


def _read(sql: str, params: list) -> CodedCounts:
    result = CodedCounts()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for flags, code, n in cursor.fetchall():
            result.codes[code] += n
            if code == 0:
                result.responses[flags] += n
    return result


def bit_groups(
    filters: ResultFilters, codes: dict, *, segments: bool = False
) -> list[list[str]] | None:
    """The filters (days aside) as bitmap facets: the responses carrying any facet of every
    group — one group per filter, one more for the quality flags kept when some are
    excluded. None when the bitmaps cannot express them (customer segments they do not
    hold: `segments` says they do)."""
    if filters.segments and not segments:
        return None
    groups = [[f"segment:{name}" for name in segment_names(key, chosen)]
              for key, chosen in filters.segments]  # fmt: skip
    for name, value in (("region", filters.region), ("channel", filters.channel),
                        ("store", filters.store), ("version", filters.version),
                        ("distribution", filters.distribution),
                        ("nps_group", filters.nps_group)):  # fmt: skip
        if value:
            groups.append([f"{name}:{value}"])
    for answer in filters.answers:
        if answer.choice is not None:
            wanted = [_code_of(codes, answer.key, 3, answer.choice)]
        else:
            wanted = [_code_of(codes, answer.key, NUMBER, str(n))
                      for n in range(answer.low, answer.high + 1)]  # fmt: skip
        groups.append([f"code:{code}" for code in wanted if code is not None])
    mask = exclusion_mask(filters)
    if mask:
        groups.append([f"flags:{flags}" for flags in range(8) if not flags & mask])
    return groups


_BIT_COUNTS = """
WITH wanted AS (SELECT * FROM unnest(%(facets)s::text[], %(groups)s::int[]) w(facet, grp)),
g AS (
  SELECT b.day, w.grp, bit_or(b.bits) AS bits
  FROM wanted w JOIN surveys_resultdaybits b ON b.survey_id = %(survey)s AND b.facet = w.facet
  WHERE b.day >= %(start)s AND b.day <= %(end)s
  GROUP BY b.day, w.grp
),
base AS (SELECT day, bit_and(bits) AS bits FROM g GROUP BY day HAVING count(*) = %(n)s),
-- Materialized: the popcounts are taken before the grouping, which then sorts or hashes
-- small rows rather than the bitmaps.
counted AS MATERIALIZED (
  SELECT c.facet, bit_count(base.bits & c.bits) AS n
  FROM base JOIN surveys_resultdaybits c ON c.survey_id = %(survey)s AND c.day = base.day
  WHERE c.facet LIKE 'code:%%' OR c.facet LIKE 'flags:%%'
)
SELECT facet, sum(n)::bigint FROM counted GROUP BY facet
"""


def bit_counts(cube: ResultCube, groups: list[list[str]], filters: ResultFilters) -> CodedCounts:
    """The counts of the responses carrying a facet of every group, from the day bitmaps."""
    result = CodedCounts()
    if not groups or not all(groups):
        return result
    facets = [facet for group in groups for facet in group]
    numbers = [i for i, group in enumerate(groups) for _facet in group]
    params = {"facets": facets, "groups": numbers, "survey": cube.survey_id, "n": len(groups),
              "start": filters.start or dt.date.min, "end": filters.end or dt.date.max}  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(_BIT_COUNTS, params)
        for facet, n in cursor.fetchall():
            kind, _, value = facet.partition(":")
            if kind == "code":
                result.codes[int(value)] += n
            else:
                result.responses[int(value)] += n
    return result


def fact_counts(
    cube: ResultCube, filters: ResultFilters, codes: dict, *, segments: bool = False
) -> CodedCounts:
    """One scan of the facts matching every filter, each response's codes counted; customer
    segments from the facts' own when `segments` (the cube holds the current ones), else
    from the customers."""
    sql = (
        "SELECT f.flags, c.code, count(*) FROM surveys_resultfact f, unnest(f.codes) c(code)"
        " WHERE f.survey_id = %s"
    )
    params: list = [cube.survey_id]
    sql, params = _days_and_flags(sql, params, filters, "f.")
    for name, value in (("channel", filters.channel), ("store", filters.store),
                        ("region", filters.region), ("version", filters.version),
                        ("distribution_id", filters.distribution)):  # fmt: skip
        if value:
            sql += f" AND f.{name} = %s"
            params.append(value)
    if filters.nps_group:
        sql += " AND f.nps_score BETWEEN %s AND %s"
        params.extend(nps_group_range(filters.nps_group))
    for answer in filters.answers:
        if answer.choice is not None:
            wanted = [_code_of(codes, answer.key, 3, answer.choice)]
        else:
            wanted = [_code_of(codes, answer.key, 2, str(n)) for n in range(answer.low, answer.high + 1)]  # fmt: skip  # noqa: E501
        sql += " AND f.codes && %s::integer[]"
        params.append([c for c in wanted if c is not None])
    for key, chosen in filters.segments if segments else ():
        sql += " AND f.segments && %s::text[]"
        params.append(segment_names(key, chosen))
    customers = None if segments else _customers(filters)
    if customers is not None:
        inner, inner_params = customers.values("pk").query.sql_with_params()
        sql += f" AND f.customer_id IN ({inner})"
        params.extend(inner_params)
    sql += " GROUP BY f.flags, c.code"
    return _read(sql, params)


def _customers(filters: ResultFilters):
    if not filters.segments:
        return None
    from surveys.distribution.audience import audience_filters

    customers = Customer.objects.all()
    registry = audience_filters()
    for key, chosen in filters.segments:
        customers = registry[key].apply(customers, list(chosen))
    return customers


def decoded(coded: CodedCounts, codes: dict) -> tuple[int, dict[str, dict], dict[str, int]]:
    """(responses, {question key: {"answered", "numbers", "choices"}}, {flag: responses})."""
    counts: dict[str, dict] = defaultdict(
        lambda: {"answered": 0, "numbers": Counter(), "choices": Counter()}
    )
    for code, n in coded.codes.items():
        if code == 0 or not n or code not in codes:
            continue
        key, kind, value = codes[code]
        entry = counts[key]
        if kind == ANSWERED:
            entry["answered"] += n
        elif kind == NUMBER:
            entry["numbers"][int(value)] += n
            entry["answered"] += n
        elif kind != RESPONSES:
            entry["choices"][value] += n
    quality = {
        flag: sum(n for mask, n in coded.responses.items() if mask & bit)
        for flag, bit in FLAG_BITS.items()
    }
    return sum(coded.responses.values()), counts, quality


def survey_score_keys(survey: Survey) -> set[str]:
    from surveys.models import Question
    from surveys.results.cube import SCORE_FACET_TYPES

    return set(
        Question.objects.filter(version__survey=survey, type__in=SCORE_FACET_TYPES).values_list(
            "key", flat=True
        )
    )


def aggregated_counts(cube: ResultCube, filters: ResultFilters):
    """(path, responses, counts, quality) of the aggregated responses (before the
    watermark) that pass `filters`; path is "cube", "bits" or "facts"."""
    codes = survey_codes(cube.survey_id)
    segments = segments_in_cube(cube, filters)
    facets = cube_facets(filters, codes, survey_score_keys(cube.survey), segments=segments)
    if facets is not None:
        return ("cube", *decoded(cell_counts(cube, facets, filters), codes))
    groups = bit_groups(filters, codes, segments=segments) if cube.day_bits else None
    if groups:
        return ("bits", *decoded(bit_counts(cube, groups, filters), codes))
    counted = fact_counts(cube, filters, codes, segments=segments)
    return ("facts", *decoded(counted, codes))
