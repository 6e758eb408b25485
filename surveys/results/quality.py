"""Response quality flags: speeders (completed in under a third of the survey's median
time), straight-liners (the same score on every item of a multi-item scale) and duplicate
devices (a response completed after another one of the survey from the same device key:
excluding them keeps the first response of each device)."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
)

from surveys.models import Answer, QuestionType, Response, ResponseStatus, ResultCube, Survey

SPEEDER_SHARE_OF_MEDIAN = 1 / 3
# A straight-liner gave at least this many scale answers, all the same score.
STRAIGHT_LINE_MIN_ITEMS = 3
SCALE_TYPES = (QuestionType.RATING, QuestionType.CSAT, QuestionType.CES)
# The flags as bits, as the results pre-aggregate stores them.
SPEEDER, STRAIGHT_LINER, DUPLICATE = 1, 2, 4
FLAG_BITS = {"speeders": SPEEDER, "straightliners": STRAIGHT_LINER, "duplicates": DUPLICATE}


def _durations(survey: Survey) -> QuerySet[Response]:
    duration = ExpressionWrapper(F("completed_at") - F("started_at"), output_field=DurationField())
    return Response.objects.filter(
        survey=survey, status=ResponseStatus.COMPLETED, completed_at__isnull=False
    ).annotate(duration=duration)


def median_duration(survey: Survey) -> dt.timedelta | None:
    """The median time from start to completion of the survey's completed responses (on
    PostgreSQL one sort: percentile_cont, the mean of the two middle ones for an even n)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY completed_at - started_at)"
                " FROM surveys_response WHERE survey_id = %s AND status = %s"
                " AND completed_at IS NOT NULL",
                [survey.pk, ResponseStatus.COMPLETED],
            )
            return cursor.fetchone()[0]
    durations = _durations(survey)
    n = durations.count()
    if not n:
        return None
    ordered = durations.order_by("duration").values_list("duration", flat=True)
    if n % 2:
        return ordered[n // 2]
    low, high = ordered[n // 2 - 1 : n // 2 + 1]
    return (low + high) / 2


def speeder_threshold(survey: Survey) -> dt.timedelta | None:
    """A third of the median duration; computed once per survey object (one request). A
    survey with a results pre-aggregate uses the threshold of its last build (the cells and
    the live counts then agree on who is a speeder; a rebuild follows a drifting median)."""
    if not hasattr(survey, "_speeder_threshold"):
        stored = None
        if connection.vendor == "postgresql":
            stored = (
                ResultCube.objects.filter(survey=survey)
                .values_list("speeder_threshold", flat=True)
                .first()
            )
        if stored is None:
            median = median_duration(survey)
            stored = None if median is None else median * SPEEDER_SHARE_OF_MEDIAN
        survey._speeder_threshold = stored
    return survey._speeder_threshold


def flagged_response_ids(survey: Survey, flag: str) -> QuerySet:
    """The ids (a subquery) of the survey's responses that carry `flag`."""
    if flag == "speeders":
        threshold = speeder_threshold(survey)
        if threshold is None:
            return Response.objects.none().values("pk")
        return _durations(survey).filter(duration__lt=threshold).values("pk")
    if flag == "straightliners":
        return (
            Answer.objects.filter(
                response__survey=survey, number__isnull=False, question__type__in=SCALE_TYPES
            )
            .values("response_id")
            .annotate(items=Count("pk"), low=Min("number"), high=Max("number"))
            .filter(items__gte=STRAIGHT_LINE_MIN_ITEMS, low=F("high"))
            .values("response_id")
        )
    if flag == "duplicates":
        return (
            Response.objects.filter(survey=survey, status=ResponseStatus.COMPLETED)
            .filter(_duplicate_q())
            .values("pk")
        )
    raise ValueError(flag)


def _duplicate_q() -> Q:
    """A response with a device key that an earlier completed response of its survey has."""
    # `device_key <> ''` lets the partial index (survey, device_key) answer the lookup.
    earlier = Response.objects.filter(
        survey_id=OuterRef("survey_id"), device_key=OuterRef("device_key"),
        status=ResponseStatus.COMPLETED, pk__lt=OuterRef("pk"),
    ).exclude(device_key="")  # fmt: skip
    return ~Q(device_key="") & Exists(earlier)


def response_flags(response: Response) -> list[str]:
    """The quality flags one response carries (for its detail page)."""
    mask = flags_of(response.survey, [response.pk]).get(response.pk, 0)
    return [flag for flag, bit in FLAG_BITS.items() if mask & bit]


def flags_of(survey: Survey, ids: list[int]) -> dict[int, int]:
    """response id → its quality flags as bits, for a few of the survey's responses."""
    found = dict.fromkeys(ids, 0)
    if not ids:
        return found
    threshold = speeder_threshold(survey)
    if threshold is not None:
        fast = Response.objects.filter(pk__in=ids).alias(duration=_duration())
        for pk in fast.filter(duration__lt=threshold).values_list("pk", flat=True):
            found[pk] |= SPEEDER
    straight = (
        Answer.objects.filter(
            response_id__in=ids, number__isnull=False, question__type__in=SCALE_TYPES
        )
        .values("response_id")
        .annotate(items=Count("pk"), low=Min("number"), high=Max("number"))
        .filter(items__gte=STRAIGHT_LINE_MIN_ITEMS, low=F("high"))
        .values_list("response_id", flat=True)
    )
    for pk in straight:
        found[pk] |= STRAIGHT_LINER
    duplicates = Response.objects.filter(pk__in=ids, survey=survey).filter(_duplicate_q())
    for pk in duplicates.values_list("pk", flat=True):
        found[pk] |= DUPLICATE
    return found


def _duration():
    return ExpressionWrapper(F("completed_at") - F("started_at"), output_field=DurationField())


def without_flag(survey: Survey, responses: QuerySet[Response], flag: str) -> QuerySet:
    """`responses` minus those carrying `flag`. Speeders are compared row by row (a NOT IN of
    a million ids would be planned as a nested loop), straight-liners by a subquery."""
    if flag == "speeders":
        threshold = speeder_threshold(survey)
        if threshold is None:
            return responses
        return responses.alias(duration=_duration()).exclude(duration__lt=threshold)
    if flag == "duplicates":
        return responses.exclude(_duplicate_q())
    return responses.exclude(pk__in=flagged_response_ids(survey, flag))


def quality_counts(survey: Survey, responses: QuerySet[Response]) -> dict[str, int]:
    """How many of `responses` carry each flag."""
    counts = {}
    threshold = speeder_threshold(survey)
    speeders = responses.alias(duration=_duration()).filter(duration__lt=threshold)
    counts["speeders"] = speeders.count() if threshold is not None else 0
    counts["straightliners"] = responses.filter(
        pk__in=flagged_response_ids(survey, "straightliners")
    ).count()
    counts["duplicates"] = responses.filter(_duplicate_q()).count()
    return counts
