"""The shared query-parameter filters of API.md (`from`, `to`, `survey`, `channel`)."""

import datetime as dt
from collections.abc import Mapping

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

MAX_YEAR = 9998
MAX_BIGINT = 2**63 - 1


def parse_day(params: Mapping[str, str], name: str) -> dt.date | None:
    raw = params.get(name)
    if not raw:
        return None
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        day = None
    # The year 9999 is refused too: the day after it, or its local midnight, overflows.
    if day is None or day.year > MAX_YEAR:
        raise ValidationError({name: [_("Expected a date like 2026-01-31.")]})
    return day


def parse_int(params: Mapping[str, str], name: str) -> int | None:
    raw = params.get(name)
    if not raw:
        return None
    try:
        number = int(raw)
    except ValueError:
        number = None
    # Past a database integer (bigint) it names nothing; SQLite would refuse the query.
    if number is None or abs(number) > MAX_BIGINT:
        raise ValidationError({name: [_("Expected a whole number.")]})
    return number


def filter_responses(queryset: QuerySet, params: Mapping[str, str]) -> QuerySet:
    """Apply from/to (local dates, inclusive), survey and channel filters."""
    start, end = parse_day(params, "from"), parse_day(params, "to")
    if start:
        queryset = queryset.filter(completed_at__date__gte=start)
    if end:
        queryset = queryset.filter(completed_at__date__lte=end)
    survey = parse_int(params, "survey")
    if survey is not None:
        queryset = queryset.filter(survey_id=survey)
    if params.get("channel"):
        queryset = queryset.filter(channel=params["channel"])
    return queryset
