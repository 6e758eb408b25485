"""Response quality flags: speeders (completed in under a third of the survey's median
time) and straight-liners (the same score on every item of a multi-item scale)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, DurationField, ExpressionWrapper, F, Max, Min, QuerySet

from surveys.models import Answer, QuestionType, Response, ResponseStatus, Survey

SPEEDER_SHARE_OF_MEDIAN = 1 / 3
# A straight-liner gave at least this many scale answers, all the same score.
STRAIGHT_LINE_MIN_ITEMS = 3
SCALE_TYPES = (QuestionType.RATING, QuestionType.CSAT, QuestionType.CES)


def _durations(survey: Survey) -> QuerySet[Response]:
    duration = ExpressionWrapper(F("completed_at") - F("started_at"), output_field=DurationField())
    return Response.objects.filter(
        survey=survey, status=ResponseStatus.COMPLETED, completed_at__isnull=False
    ).annotate(duration=duration)


def median_duration(survey: Survey) -> dt.timedelta | None:
    """The median time from start to completion of the survey's completed responses."""
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
    median = median_duration(survey)
    return None if median is None else median * SPEEDER_SHARE_OF_MEDIAN


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
    raise ValueError(flag)


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
    return counts
