"""The results pre-aggregate of a big survey (PostgreSQL only), in three tables:

- `ResultCode` numbers what is counted: code 0 "a response", else (question, kind, value);
- `ResultFact`: one row per aggregated completed response, its facets (day, channel, store,
  version, distribution, customer, NPS score), its quality `flags` and its `codes`;
- `ResultCubeCell`: per local day, quality flags and facet (everything, one channel, store,
  version, distribution, NPS group, customer segment, one counted code: an option chosen, an
  NPS/CSAT/CES score given, or an NPS question's group of scores) the number of responses
  counting each code.

`cube_refresh` (services) builds them or folds the responses completed since the watermark
into them (it rebuilds when the customers' segments changed: `surveys.results.segments`);
`surveys.results.cube_read` answers the counts of any filter set from them — the cells when
the filters are one facet, else one scan of the matching facts — plus the tail completed
since the watermark counted live. See `ResultCube` for how it stays exact.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from surveys.models import Question, QuestionType, ResultCube, Survey
from surveys.results.cube_bits import write_bits
from surveys.results.cube_cells import EPOCH, cell_lines, copy_cells, read_facts
from surveys.results.filters import CHOICE_TYPES
from surveys.results.quality import (
    SCALE_TYPES,
    SPEEDER_SHARE_OF_MEDIAN,
    STRAIGHT_LINE_MIN_ITEMS,
    median_duration,
)
from surveys.results.segments import current_basis, set_fact_segments
from surveys.scoring.rules import NPS_GROUPS, nps_group_range

# Surveys with fewer completed responses are always counted live (fast enough, no upkeep).
CUBE_MIN_RESPONSES = getattr(settings, "SURVEYHUB_RESULTS_CUBE_MIN_RESPONSES", 20_000)
# The watermark trails now by this much: responses completed since are counted live.
TAIL = dt.timedelta(minutes=1)
RESPONSES, ANSWERED, NUMBER, CHOICE, GROUP = 0, 1, 2, 3, 4
# Scores of these questions are facets too ("NPS 0–6", "speed 4–5" are read from the cells).
SCORE_FACET_TYPES = (QuestionType.NPS, QuestionType.CSAT, QuestionType.CES, QuestionType.RATING)
# A rebuild (new speeder threshold) when the median duration moved by more than this share.
MEDIAN_DRIFT = 0.05

# The completed responses of the survey in [low, high), and what each of their answers
# counts: answered / the score (kinds 1, 2) and every option chosen (kind 3).
_RANGE = """
WITH r AS MATERIALIZED (
  SELECT id FROM surveys_response WHERE survey_id = %(survey)s AND status = 'completed'
    AND completed_at >= %(low)s AND completed_at < %(high)s
),
vals AS (
  SELECT a.response_id, a.question_id, a.question_key,
    CASE WHEN a.number IS NULL THEN 1 ELSE 2 END AS kind,
    coalesce(a.number::text, '') AS value, a.number
  FROM surveys_answer a JOIN r ON r.id = a.response_id
  UNION ALL
  SELECT a.response_id, a.question_id, a.question_key, 3, c.value, NULL
  FROM surveys_answer a JOIN r ON r.id = a.response_id,
       jsonb_array_elements_text(a.choices) c(value)
  WHERE jsonb_typeof(a.choices) = 'array' AND a.choices <> '[]'::jsonb
)
"""

_NEW_CODES = (
    _RANGE  # noqa: S608 - constant SQL, values are bound parameters
    + """
INSERT INTO surveys_resultcode (survey_id, code, question_key, kind, value)
SELECT %(survey)s, m.top + row_number() OVER (ORDER BY v.question_key, v.kind, v.value),
  v.question_key, v.kind, v.value
FROM (SELECT DISTINCT question_key, kind, value FROM vals) v
CROSS JOIN (SELECT coalesce(max(code), 0) AS top FROM surveys_resultcode
            WHERE survey_id = %(survey)s) m
WHERE NOT EXISTS (
  SELECT 1 FROM surveys_resultcode k WHERE k.survey_id = %(survey)s
  AND k.question_key = v.question_key AND k.kind = v.kind AND k.value = v.value)
"""
)

# The facts of the responses in range (flags: speeder by the stored threshold, straight-
# liner by its own scale answers, duplicate by an earlier completed response of the device).
_FACTS = (
    _RANGE  # noqa: S608 - constant SQL, values are bound parameters
    + """,
per_response AS (
  SELECT v.response_id, array_agg(k.code) AS codes,
    count(*) FILTER (WHERE v.question_id = ANY(%(scale_ids)s) AND v.kind = 2) AS items,
    min(v.number) FILTER (WHERE v.question_id = ANY(%(scale_ids)s)) AS low,
    max(v.number) FILTER (WHERE v.question_id = ANY(%(scale_ids)s)) AS high
  FROM vals v JOIN surveys_resultcode k ON k.survey_id = %(survey)s
    AND k.question_key = v.question_key AND k.kind = v.kind AND k.value = v.value
  GROUP BY v.response_id
)
INSERT INTO surveys_resultfact (response_id, survey_id, day, channel, store, version,
    distribution_id, customer_id, region, nps_score, flags, codes)
  SELECT s.id, s.survey_id, (s.completed_at AT TIME ZONE %(tz)s)::date, s.channel, s.store,
    ver.number, i.distribution_id, s.customer_id, coalesce(cu.region, ''), s.nps_score,
    CASE WHEN s.completed_at - s.started_at < %(threshold)s::interval THEN 1 ELSE 0 END
    | CASE WHEN p.items >= %(min_items)s AND p.low = p.high THEN 2 ELSE 0 END
    | CASE WHEN s.device_key <> '' AND EXISTS (
        SELECT 1 FROM surveys_response e WHERE e.survey_id = s.survey_id
        AND e.device_key = s.device_key AND e.device_key <> '' AND e.status = 'completed'
        AND e.id < s.id)
      THEN 4 ELSE 0 END,
    array_prepend(0, coalesce(p.codes, '{}'::integer[]))
  FROM surveys_response s
  JOIN r ON r.id = s.id
  JOIN surveys_surveyversion ver ON ver.id = s.version_id
  LEFT JOIN surveys_invitation i ON i.id = s.invitation_id
  LEFT JOIN surveys_customer cu ON cu.id = s.customer_id
  LEFT JOIN per_response p ON p.response_id = s.id
"""
)


def _facet_codes(survey: Survey) -> list[int]:
    """The codes that are facets: options of choice questions, NPS/CSAT/CES scores."""
    questions = Question.objects.filter(version__survey=survey)
    choice_keys = set(
        questions.filter(type__in=[*CHOICE_TYPES, QuestionType.CONSENT]).values_list(
            "key", flat=True
        )
    )
    score_keys = set(questions.filter(type__in=SCORE_FACET_TYPES).values_list("key", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT code FROM surveys_resultcode WHERE survey_id = %s AND ("
            " (kind = 3 AND question_key = ANY(%s)) OR (kind = 2 AND question_key = ANY(%s)))",
            [survey.pk, sorted(choice_keys), sorted(score_keys)],
        )
        return [row[0] for row in cursor.fetchall()]


def _add_group_markers(cursor, survey: Survey) -> None:
    """At a full build: one code of kind GROUP (negative, never in a fact) per NPS question
    key and NPS group, saying the cells hold the facet "scores:<key>:<group>" (the responses
    that gave that key a score of the group) for every aggregated day — "NPS 0–6" is then
    one facet, not seven. A key that becomes NPS later gets them at the next full build."""
    keys = sorted(
        set(
            Question.objects.filter(version__survey=survey, type=QuestionType.NPS).values_list(
                "key", flat=True
            )
        )
    )
    markers = [(key, group.value) for key in keys for group in NPS_GROUPS]
    for number, (key, group) in enumerate(markers, start=1):
        cursor.execute(
            "INSERT INTO surveys_resultcode (survey_id, code, question_key, kind, value)"
            " VALUES (%s, %s, %s, %s, %s)",
            [survey.pk, -number, key, GROUP, group],
        )


def _group_facets(survey: Survey) -> dict[str, list[int]]:
    """facet "scores:<key>:<group>" → the score codes of that key in the group, for the
    keys marked at the last full build (see `_add_group_markers`)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT code, question_key, kind, value FROM surveys_resultcode"
            " WHERE survey_id = %s AND kind IN (%s, %s)",
            [survey.pk, NUMBER, GROUP],
        )
        rows = cursor.fetchall()
    groups = {}
    for _code, key, kind, group in rows:
        if kind == GROUP:
            low, high = nps_group_range(group)
            groups[f"scores:{key}:{group}"] = [
                code for code, k, kind2, value in rows
                if kind2 == NUMBER and k == key and value.isdigit() and low <= int(value) <= high
            ]  # fmt: skip
    return groups


def _params(survey: Survey, low, high, tz: str, threshold) -> dict:
    from surveys.scoring.rules import NPS_PASSIVE_MIN, NPS_PROMOTER_MIN

    scale_ids = list(
        Question.objects.filter(version__survey=survey, type__in=SCALE_TYPES).values_list(
            "pk", flat=True
        )
    )
    return {
        "tz": tz, "survey": survey.pk, "low": low, "high": high, "threshold": threshold,
        "scale_ids": scale_ids, "min_items": STRAIGHT_LINE_MIN_ITEMS,
        "promoter": NPS_PROMOTER_MIN, "passive": NPS_PASSIVE_MIN,
    }  # fmt: skip


def _aggregate(cursor, survey: Survey, params: dict, *, fold: bool, bits: bool = True) -> bool:
    """Add the facts and cells of the responses in range (all of them unless `fold`), and
    write the day bitmaps: all of them, or when folding and `bits` (they were complete)
    those of the days the new facts fall on. Returns whether the bitmaps are complete."""
    cursor.execute(_NEW_CODES, params)
    cursor.execute(_FACTS, params)
    set_fact_segments(cursor, survey.pk, (params["low"], params["high"]) if fold else None)
    facts = read_facts(params, whole=not fold)
    lines = cell_lines(facts, survey.pk, _facet_codes(survey), _group_facets(survey))
    copy_cells(lines, fold=fold)
    if not fold:
        return write_bits(facts, survey.pk)
    if not bits or not facts.n:
        return bits
    # Every fact of those days: a day's bitmaps hold its responses in one order.
    since = int(facts.days.min())
    del facts
    every = read_facts(params, whole=True, since=EPOCH + dt.timedelta(days=since))
    return write_bits(every, survey.pk, since=since)


def _speeder_threshold(survey: Survey) -> dt.timedelta | None:
    median = median_duration(survey)
    return None if median is None else median * SPEEDER_SHARE_OF_MEDIAN


def cube_refresh(*, survey: Survey, rebuild: bool = False, now: dt.datetime | None = None) -> str:
    """Bring the survey's pre-aggregate up to now − TAIL: a full rebuild when it is missing,
    stale, in another time zone, its median duration drifted, or `rebuild`; else fold in the
    responses completed since the watermark. Returns "built", "folded" or "skipped"."""
    if connection.vendor != "postgresql":
        return "skipped"
    high = (now or timezone.now()) - TAIL
    tz = settings.TIME_ZONE
    basis = current_basis()  # before the values are read (see set_fact_segments)
    with transaction.atomic():
        # Lock first, read after: a completion committing meanwhile is either seen by the
        # statements below or sees the new watermark (and marks the cube stale).
        cube = ResultCube.objects.select_for_update().filter(survey=survey).first()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '256MB'")
            full = rebuild or cube is None or cube.stale or cube.time_zone != tz
            full = full or cube.segments_basis != basis
            threshold = cube.speeder_threshold if cube else None
            if not full and _drifted(survey, threshold):
                full = True
            if full:
                threshold = _speeder_threshold(survey)
                for table in ("resultcubecell", "resultdaybits", "resultfact", "resultcode"):
                    cursor.execute(
                        f"DELETE FROM surveys_{table} WHERE survey_id = %s",  # noqa: S608
                        [survey.pk],
                    )
                cursor.execute(
                    "INSERT INTO surveys_resultcode (survey_id, code, question_key, kind, value)"
                    " VALUES (%s, 0, '', 0, '')",
                    [survey.pk],
                )
                _add_group_markers(cursor, survey)
                low = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
                params = _params(survey, low, high, tz, threshold)
                bits = _aggregate(cursor, survey, params, fold=False)
                # Fresh statistics: the reads plan a hash aggregate over the matching facts.
                cursor.execute("ANALYZE surveys_resultfact")
                cursor.execute("ANALYZE surveys_resultcubecell")
                cursor.execute("ANALYZE surveys_resultdaybits")
            else:
                if high <= cube.watermark:
                    return "skipped"
                params = _params(survey, cube.watermark, high, tz, threshold)
                bits = _aggregate(cursor, survey, params, fold=True, bits=cube.day_bits)
            cursor.execute("SELECT count(*) FROM surveys_resultfact WHERE survey_id = %s",
                           [survey.pk])  # fmt: skip
            total = cursor.fetchone()[0]
        ResultCube.objects.update_or_create(
            survey=survey,
            defaults={"watermark": high, "time_zone": tz, "stale": False,
                      "built_at": timezone.now(), "responses": total,
                      "speeder_threshold": threshold, "segments_basis": basis,
                      "day_bits": bits},
        )  # fmt: skip
    return "built" if full else "folded"


def _drifted(survey: Survey, threshold: dt.timedelta | None) -> bool:
    """Whether a third of the median duration moved away from the stored threshold."""
    current = _speeder_threshold(survey)
    if threshold is None or current is None:
        return threshold != current
    return abs(current - threshold) > threshold * MEDIAN_DRIFT


def usable_cube(survey: Survey) -> ResultCube | None:
    """The survey's pre-aggregate when the results may read it (fresh, same time zone)."""
    if connection.vendor != "postgresql":
        return None
    cube = ResultCube.objects.filter(survey=survey).first()
    if cube is None or cube.stale or cube.time_zone != timezone.get_current_timezone_name():
        return None
    return cube


def cubes_refresh() -> dict[str, int]:
    """Fold every survey's pre-aggregate up to now (rebuilding stale ones), and build one for
    each survey that reached CUBE_MIN_RESPONSES completed responses. Returns the tallies."""
    from django.db.models import Count

    from surveys.models import Response, ResponseStatus

    done: Counter = Counter()
    if connection.vendor != "postgresql":
        return dict(done)
    have = set(ResultCube.objects.values_list("survey_id", flat=True))
    big = (
        Response.objects.filter(status=ResponseStatus.COMPLETED)
        .exclude(survey_id__in=have)
        .values("survey_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=CUBE_MIN_RESPONSES)
        .values_list("survey_id", flat=True)
    )
    for survey in Survey.objects.filter(pk__in=[*have, *big]):
        done[cube_refresh(survey=survey)] += 1
    return dict(done)
