"""The results pre-aggregate of a big survey (PostgreSQL only): per local day and facet
(everything, one channel, store, version, distribution, NPS group, or one chosen option of a
choice question) the number of responses, of answers per question and of each score and
option chosen. See `ResultCube` for how it stays exact.

`cube_refresh` (services) builds it or folds the responses completed since the watermark
into it; `cube_counts` (read) answers the counts of a filter set that it can express — the
cells of one facet over a range of days — plus the tail counted live; None otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from surveys.models import QuestionType, ResultCube, Survey
from surveys.results.filters import CHOICE_TYPES, ResultFilters

# Surveys with fewer completed responses are always counted live (fast enough, no upkeep).
CUBE_MIN_RESPONSES = getattr(settings, "SURVEYHUB_RESULTS_CUBE_MIN_RESPONSES", 20_000)
# The watermark trails now by this much: responses completed since are counted live.
TAIL = dt.timedelta(minutes=1)
RESPONSES, ANSWERED, NUMBER, CHOICE = 0, 1, 2, 3

# The contributions of the survey's responses completed in [low, high): per response its
# facets × its counted values, summed per (facet, day, question, kind, value).
_CONTRIBUTIONS = """
WITH r AS MATERIALIZED (
  SELECT r.id, (r.completed_at AT TIME ZONE %(tz)s)::date AS day,
    ARRAY['*', 'channel:' || r.channel, 'version:' || v.number]
    || CASE WHEN r.store <> '' THEN ARRAY['store:' || r.store] ELSE '{}'::text[] END
    || CASE WHEN i.distribution_id IS NOT NULL
            THEN ARRAY['distribution:' || i.distribution_id] ELSE '{}'::text[] END
    || CASE WHEN r.nps_score IS NULL THEN '{}'::text[]
            WHEN r.nps_score >= %(promoter)s THEN ARRAY['nps_group:promoter']
            WHEN r.nps_score >= %(passive)s THEN ARRAY['nps_group:passive']
            ELSE ARRAY['nps_group:detractor'] END
    || COALESCE((SELECT array_agg('q:' || a.question_key || '=' || c.value)
                 FROM surveys_answer a, jsonb_array_elements_text(a.choices) c(value)
                 WHERE a.response_id = r.id AND a.question_key = ANY(%(choice_keys)s)),
                '{}'::text[]) AS facets
  FROM surveys_response r
  JOIN surveys_surveyversion v ON v.id = r.version_id
  LEFT JOIN surveys_invitation i ON i.id = r.invitation_id
  WHERE r.survey_id = %(survey)s AND r.status = 'completed'
    AND r.completed_at >= %(low)s AND r.completed_at < %(high)s
),
counted AS (
  SELECT r.id, '' AS question_key, 0 AS kind, '' AS value FROM r
  UNION ALL
  SELECT a.response_id, a.question_key, 1, '' FROM surveys_answer a JOIN r ON r.id = a.response_id
  WHERE a.number IS NULL
  UNION ALL
  SELECT a.response_id, a.question_key, 2, a.number::text
  FROM surveys_answer a JOIN r ON r.id = a.response_id WHERE a.number IS NOT NULL
  UNION ALL
  SELECT a.response_id, a.question_key, 3, c.value
  FROM surveys_answer a JOIN r ON r.id = a.response_id,
       jsonb_array_elements_text(a.choices) c(value)
  WHERE jsonb_typeof(a.choices) = 'array'
)
SELECT %(survey)s, f.facet, r.day, c.question_key, c.kind, c.value, count(*)
FROM counted c JOIN r ON r.id = c.id, unnest(r.facets) f(facet)
GROUP BY f.facet, r.day, c.question_key, c.kind, c.value
"""

_INSERT = (
    "INSERT INTO surveys_resultcubecell (survey_id, facet, day, question_key, kind, value, n) "
)
_FOLD = " ON CONFLICT (survey_id, facet, day, question_key, kind, value) DO UPDATE SET n = surveys_resultcubecell.n + EXCLUDED.n"  # noqa: E501


def _params(survey: Survey, low, high, tz: str) -> dict:
    from surveys.models import Question
    from surveys.scoring.rules import NPS_PASSIVE_MIN, NPS_PROMOTER_MIN

    choice_keys = sorted(
        set(
            Question.objects.filter(
                version__survey=survey, type__in=[*CHOICE_TYPES, QuestionType.CONSENT]
            ).values_list("key", flat=True)
        )
    )
    return {
        "tz": tz, "survey": survey.pk, "low": low, "high": high, "choice_keys": choice_keys,
        "promoter": NPS_PROMOTER_MIN, "passive": NPS_PASSIVE_MIN,
    }  # fmt: skip


def cube_refresh(*, survey: Survey, rebuild: bool = False, now: dt.datetime | None = None) -> str:
    """Bring the survey's pre-aggregate up to now − TAIL: a full rebuild when it is missing,
    stale, in another time zone or `rebuild`; else fold in the responses completed since the
    watermark. Returns what was done ("built", "folded", "skipped")."""
    if connection.vendor != "postgresql":
        return "skipped"
    high = (now or timezone.now()) - TAIL
    tz = settings.TIME_ZONE
    with transaction.atomic():
        # Lock first, read after: a completion committing meanwhile is either seen by the
        # statements below or sees the new watermark (and marks the cube stale).
        cube = ResultCube.objects.select_for_update().filter(survey=survey).first()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '128MB'")
            full = rebuild or cube is None or cube.stale or cube.time_zone != tz
            if full:
                cursor.execute(
                    "DELETE FROM surveys_resultcubecell WHERE survey_id = %s", [survey.pk]
                )
                low = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
                # In index order: the cells of one facet are read from few pages.
                cursor.execute(
                    _INSERT + _CONTRIBUTIONS + " ORDER BY 2, 3, 4, 5, 6",
                    _params(survey, low, high, tz),
                )
            else:
                if high <= cube.watermark:
                    return "skipped"
                cursor.execute(
                    _INSERT + _CONTRIBUTIONS + _FOLD, _params(survey, cube.watermark, high, tz)
                )
            cursor.execute(
                "SELECT coalesce(sum(n), 0) FROM surveys_resultcubecell WHERE survey_id = %s"
                " AND facet = '*' AND kind = 0",
                [survey.pk],
            )
            total = cursor.fetchone()[0]
        ResultCube.objects.update_or_create(
            survey=survey,
            defaults={"watermark": high, "time_zone": tz, "stale": False,
                      "built_at": timezone.now(), "responses": total},
        )  # fmt: skip
    return "built" if full else "folded"


def cube_facet(filters: ResultFilters) -> str | None:
    """The one facet the filters need besides days ("*" for none), None when the cube cannot
    express them (two facets, region, segments, score ranges)."""
    if filters.region or filters.segments:
        return None
    facets = []
    if filters.channel:
        facets.append(f"channel:{filters.channel}")
    if filters.store:
        facets.append(f"store:{filters.store}")
    if filters.version:
        facets.append(f"version:{filters.version}")
    if filters.distribution:
        facets.append(f"distribution:{filters.distribution}")
    if filters.nps_group:
        facets.append(f"nps_group:{filters.nps_group}")
    for answer in filters.answers:
        if answer.choice is None:
            return None
        facets.append(f"q:{answer.key}={answer.choice}")
    if len(facets) > 1:
        return None
    return facets[0] if facets else "*"


def usable_cube(survey: Survey) -> ResultCube | None:
    """The survey's pre-aggregate when the results may read it (fresh, same time zone)."""
    if connection.vendor != "postgresql":
        return None
    cube = ResultCube.objects.filter(survey=survey).first()
    if cube is None or cube.stale or cube.time_zone != timezone.get_current_timezone_name():
        return None
    return cube


def cube_cell_counts(
    cube: ResultCube, facet: str, start: dt.date | None, end: dt.date | None
) -> tuple[int, dict[str, dict]]:
    """The responses and per-question counts of the cells of `facet` over [start, end]."""
    sql = (
        "SELECT question_key, kind, value, sum(n)::bigint FROM surveys_resultcubecell"
        " WHERE survey_id = %s AND facet = %s"
    )
    params: list = [cube.survey_id, facet]
    if start:
        sql += " AND day >= %s"
        params.append(start)
    if end:
        sql += " AND day <= %s"
        params.append(end)
    sql += " GROUP BY question_key, kind, value"
    counts: dict[str, dict] = defaultdict(
        lambda: {"answered": 0, "numbers": Counter(), "choices": Counter()}
    )
    responses = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    single_valued: dict[str, int] = defaultdict(int)
    for key, kind, value, n in rows:
        if kind == RESPONSES:
            responses += n
        elif kind == ANSWERED:
            counts[key]["answered"] += n
        elif kind == NUMBER:
            counts[key]["numbers"][int(value)] += n
            single_valued[key] += n
        else:
            counts[key]["choices"][value] += n
    # Scored answers are counted once per value: answered is their sum.
    for key, n in single_valued.items():
        counts[key]["answered"] += n
    return responses, counts


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
