"""The filters of a survey's results, response list and exports, read from query parameters.

Every filter is checked against the survey: an unknown channel, store, region, distribution,
version, segment, question key or option, or a date out of range, is a `ResultsFilterError`
naming the parameter (the API answers 400, a page shows the message beside the filter).
Nothing is ever silently ignored, unknown parameter names included.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from surveyhub.api.errors import DomainError
from surveys.distribution.audience import audience_filters
from surveys.models import (
    Answer,
    Channel,
    Customer,
    Distribution,
    Question,
    QuestionType,
    Response,
    ResponseStatus,
    Survey,
    SurveyVersion,
)
from surveys.responding.answers import OTHER, SCALES
from surveys.results.quality import without_flag
from surveys.scoring.expressions import nps_group_q
from surveys.scoring.rules import NPS_GROUPS

MAX_YEAR = 9998
MIN_YEAR = 2000
CHOICE_TYPES = {QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.DROPDOWN,
                QuestionType.IMAGE_SINGLE, QuestionType.IMAGE_MULTIPLE}  # fmt: skip
TEXT_TYPES = {QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT}
QUALITY_FLAGS = {
    "speeders": gettext_lazy("Speeders"),
    "straightliners": gettext_lazy("Straight-liners"),
    "duplicates": gettext_lazy("Duplicate devices"),
}
# The registered audience filters of analytics (surveys never imports it) that a response's
# customer can be filtered by: query parameter → audience filter key.
CUSTOMER_SEGMENTS = {"segment": "rfm_segment", "value_tier": "value_tier"}
FILTER_NAMES = (
    "from", "to", "channel", "store", "region", "distribution", "version",
    *CUSTOMER_SEGMENTS, "nps_group", "q", "exclude",
)  # fmt: skip
ANSWER_FILTER = re.compile(r"^(?P<key>[-\w]+):(?P<value>.+)$")
SCALE_RANGE = re.compile(r"^(?P<low>\d{1,2})-(?P<high>\d{1,2})$")


class ResultsFilterError(DomainError):
    """One or more filters are wrong; `errors` maps each parameter to its message."""

    def __init__(self, errors: Mapping[str, str]):
        super().__init__(
            _("Some filters are not valid: %(names)s.") % {"names": ", ".join(errors)}, errors
        )


@dataclass(frozen=True)
class AnswerFilter:
    """Respondents whose answer to `key` is `choice`, or a number from `low` to `high`."""

    key: str
    choice: str | None = None
    low: int | None = None
    high: int | None = None
    raw: str = ""


@dataclass(frozen=True)
class ResultFilters:
    start: dt.date | None = None
    end: dt.date | None = None
    channel: str = ""
    store: str = ""
    region: str = ""
    distribution: int | None = None
    version: int | None = None
    segments: tuple[tuple[str, tuple[str, ...]], ...] = ()
    nps_group: str = ""
    answers: tuple[AnswerFilter, ...] = ()
    exclude: frozenset[str] = field(default_factory=frozenset)

    def with_changes(self, **changes) -> ResultFilters:
        return replace(self, **changes)


def _values(params: Any, name: str) -> list[str]:
    if hasattr(params, "getlist"):
        values = params.getlist(name)
    else:
        value = params.get(name)
        values = value if isinstance(value, list | tuple) else [value]
    return [str(v).strip() for v in values if v is not None and str(v).strip() != ""]


def _one(params: Any, name: str) -> str:
    values = _values(params, name)
    return values[-1] if values else ""


def _day(raw: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        day = None
    if day is None or not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValueError(_("Expected a date like 2026-01-31, from the year 2000 on."))
    return day


def _whole(raw: str) -> int:
    if not raw.isdigit() or len(raw) > 18:
        raise ValueError(_("Expected a whole number."))
    return int(raw)


def survey_questions(survey: Survey) -> dict[str, Question]:
    """Every question key the survey ever had → its newest definition, in the current order
    (keys that only older versions have come last)."""
    newest: dict[str, Question] = {}
    ordered = Question.objects.filter(version__survey=survey).order_by("-version__number")
    for question in ordered.select_related("version"):
        newest.setdefault(question.key, question)
    current = survey.current_version_id

    def order(item):
        question = item[1]
        return (question.version_id != current, question.position, question.pk)

    return dict(sorted(newest.items(), key=order))


def _answer_filter(raw: str, questions: Mapping[str, Question]) -> AnswerFilter:
    match = ANSWER_FILTER.match(raw)
    if not match:
        raise ValueError(_("Expected question:value, e.g. nps:0-6 or reason:delivery."))
    key, value = match["key"], match["value"]
    question = questions.get(key)
    if question is None:
        raise ValueError(_("This survey has no question “%(key)s”.") % {"key": key[:40]})
    if question.type in SCALES:
        low_end, high_end = SCALES[question.type]
        bounds = SCALE_RANGE.match(value)
        if bounds:
            low, high = int(bounds["low"]), int(bounds["high"])
        elif value.isdigit() and len(value) <= 2:
            low = high = int(value)
        else:
            low = high = -1
        if not low_end <= low <= high <= high_end:
            raise ValueError(
                _("Expected a score or range from %(low)s to %(high)s for “%(key)s”.")
                % {"low": low_end, "high": high_end, "key": key}
            )
        return AnswerFilter(key=key, low=low, high=high, raw=raw)
    if question.type in CHOICE_TYPES:
        allowed = [str(option["value"]) for option in question.options]
        if question.allow_other:
            allowed.append(OTHER)
        if value not in allowed:
            raise ValueError(
                _("“%(value)s” is not an option of “%(key)s”; expected one of: %(choices)s.")
                % {"value": value[:50], "key": key, "choices": ", ".join(allowed)}
            )
        return AnswerFilter(key=key, choice=value, raw=raw)
    raise ValueError(
        _("Answers to “%(key)s” cannot be filtered by: only choice and scale questions can.")
        % {"key": key}
    )


def parse_filters(
    params: Any, *, survey: Survey, extra: Iterable[str] = (), questions=None
) -> ResultFilters:
    """Read and check the filters in `params` (a QueryDict or a mapping) for `survey`.

    `extra` names the other parameters the caller reads itself (paging, search…); any other
    unknown name is refused rather than ignored.
    """
    errors: dict[str, str] = {}
    allowed = {*FILTER_NAMES, *extra}
    for name in params:
        if name not in allowed:
            errors[name[:40]] = _("Unknown filter; expected one of: %(names)s.") % {
                "names": ", ".join(FILTER_NAMES)
            }
    values: dict[str, Any] = {}

    def check(name, read):
        raw = _one(params, name)
        if not raw:
            return
        try:
            values[name] = read(raw)
        except ValueError as exc:
            errors[name] = str(exc)

    check("from", _day)
    check("to", _day)
    if values.get("from") and values.get("to") and values["from"] > values["to"]:
        errors["to"] = _("The end date is before the start date.")
    check("channel", lambda raw: _known(raw, Channel.values))
    check("store", lambda raw: _existing(raw, Response.objects.filter(survey=survey, store=raw)))
    check("region", lambda raw: _existing(raw, Customer.objects.filter(region=raw)))
    check("distribution", lambda raw: _existing(
        _whole(raw), Distribution.objects.filter(survey=survey, pk=_whole(raw))))  # fmt: skip
    check("version", lambda raw: _existing(
        _whole(raw), SurveyVersion.objects.filter(survey=survey, number=_whole(raw))))  # fmt: skip
    check("nps_group", lambda raw: _known(raw, [g.value for g in NPS_GROUPS]))
    segments = []
    registry = audience_filters()
    for name, key in CUSTOMER_SEGMENTS.items():
        raw = _values(params, name)
        if not raw:
            continue
        audience_filter = registry.get(key)
        try:
            if audience_filter is None:
                raise ValueError(_("Customer segments are not available."))
            picked = [v for item in raw for v in item.split(",") if v]
            cleaned = audience_filter.clean(picked) if audience_filter.clean else picked
            segments.append((key, tuple(cleaned)))
        except ValueError as exc:
            errors[name] = str(exc)
    answers = []
    raw_answers = _values(params, "q")
    if raw_answers:
        questions = questions if questions is not None else survey_questions(survey)
        for raw in raw_answers:
            try:
                answers.append(_answer_filter(raw, questions))
            except ValueError as exc:
                errors["q"] = str(exc)
    exclude = {v for item in _values(params, "exclude") for v in item.split(",") if v}
    unknown = sorted(exclude - set(QUALITY_FLAGS))
    if unknown:
        errors["exclude"] = _("Unknown value %(value)s; expected one of: %(choices)s.") % {
            "value": ", ".join(unknown)[:80], "choices": ", ".join(QUALITY_FLAGS)
        }  # fmt: skip
    if errors:
        raise ResultsFilterError(errors)
    return ResultFilters(
        start=values.get("from"), end=values.get("to"), channel=values.get("channel", ""),
        store=values.get("store", ""), region=values.get("region", ""),
        distribution=values.get("distribution"), version=values.get("version"),
        segments=tuple(segments), nps_group=values.get("nps_group", ""),
        answers=tuple(answers), exclude=frozenset(exclude),
    )  # fmt: skip


def _known(raw: str, allowed: Iterable[str]) -> str:
    allowed = list(allowed)
    if raw not in allowed:
        raise ValueError(
            _("Unknown value %(value)s; expected one of: %(choices)s.")
            % {"value": raw[:50], "choices": ", ".join(allowed)}
        )
    return raw


def _existing(value, queryset: QuerySet):
    if not queryset.exists():
        raise ValueError(_("No such value here: %(value)s.") % {"value": str(value)[:50]})
    return value


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _answer_q(answer: AnswerFilter) -> Q:
    answers = Answer.objects.filter(question_key=answer.key)
    if answer.choice is None:
        answers = answers.filter(number__range=(answer.low, answer.high))
    else:
        answers = with_choice(answers, answer.choice)
    return Q(pk__in=answers.values("response_id"))


def with_choice(answers: QuerySet[Answer], value: str) -> QuerySet[Answer]:
    """The answers whose chosen options include `value`, on SQLite and PostgreSQL alike."""
    if connection.vendor == "postgresql":
        return answers.filter(choices__contains=[value])
    # SQLite keeps the JSON text (json.dumps): match the quoted element.
    text = answers.annotate(choices_text=Cast("choices", TextField()))
    return text.filter(choices_text__contains=json.dumps(value))


def filtered_responses(survey: Survey, filters: ResultFilters) -> QuerySet[Response]:
    """The survey's completed responses that pass every filter (quality flags included)."""
    responses = Response.objects.filter(survey=survey, status=ResponseStatus.COMPLETED)
    if filters.start:
        responses = responses.filter(completed_at__gte=_local_midnight(filters.start))
    if filters.end:
        end = _local_midnight(filters.end + dt.timedelta(days=1))
        responses = responses.filter(completed_at__lt=end)
    if filters.channel:
        responses = responses.filter(channel=filters.channel)
    if filters.store:
        responses = responses.filter(store=filters.store)
    if filters.region:
        responses = responses.filter(customer__region=filters.region)
    if filters.distribution:
        responses = responses.filter(invitation__distribution_id=filters.distribution)
    if filters.version:
        responses = responses.filter(version__number=filters.version)
    registry = audience_filters()
    for key, chosen in filters.segments:
        customers = registry[key].apply(Customer.objects.all(), list(chosen))
        responses = responses.filter(customer_id__in=customers.values("pk"))
    if filters.nps_group:
        responses = responses.filter(nps_group_q("nps_score", filters.nps_group))
    for answer in filters.answers:
        responses = responses.filter(_answer_q(answer))
    if filters.exclude:
        for flag in sorted(filters.exclude):
            responses = without_flag(survey, responses, flag)
    return responses
