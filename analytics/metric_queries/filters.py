"""The shared filters of the metric reads (API.md's `from`, `to`, `survey`, `channel`…) and
the responses and feedback items under them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from analytics.evaluations.periods import Period, local_midnight
from analytics.metrics.rfm import SEGMENTS
from analytics.models import ClvRun, CustomerValue, Purchase
from feedback.models import FeedbackItem
from surveys.filters import parse_day, parse_int
from surveys.models import Customer, Response, ResponseStatus

# Filters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MetricFilters:
    """The shared filters of API.md. Dates are inclusive local (Asia/Shanghai) days."""

    start: dt.date | None = None
    end: dt.date | None = None
    survey: int | None = None
    channel: str = ""
    store: str = ""
    region: str = ""
    category: str = ""  # customers who bought in this product category
    segment: str = ""  # RFM segment code in the latest CLV run
    value_tier: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> MetricFilters:
        """Read query parameters; bad values raise a 400 naming the parameter."""
        start, end = parse_day(params, "from"), parse_day(params, "to")
        if start and end and start > end:
            raise ValidationError({"to": [_("The end date is before the start date.")]})
        segment = (params.get("segment") or "").strip()
        if segment and segment not in {s.code for s in SEGMENTS}:
            raise ValidationError(
                {
                    "segment": [
                        _("Unknown segment “%(value)s”; expected one of: %(choices)s.")
                        % {"value": segment, "choices": ", ".join(s.code for s in SEGMENTS)}
                    ]
                }
            )
        tier = (params.get("value_tier") or "").strip()
        if tier and tier not in ("high", "medium", "low"):
            raise ValidationError({"value_tier": [_("Expected high, medium or low.")]})
        return cls(
            start=start,
            end=end,
            survey=parse_int(params, "survey"),
            channel=(params.get("channel") or "").strip(),
            store=(params.get("store") or "").strip(),
            region=(params.get("region") or "").strip(),
            category=(params.get("category") or "").strip(),
            segment=segment,
            value_tier=tier,
        )

    def for_period(self, period: Period) -> MetricFilters:
        return MetricFilters(**{**self.__dict__, "start": period.start, "end": period.end})


def latest_clv_run() -> ClvRun | None:
    return ClvRun.objects.order_by("-as_of", "-id").first()


def completed_responses(filters: MetricFilters = MetricFilters()) -> QuerySet[Response]:
    """Completed responses matching the filters. Dates become a range on completed_at so the
    (status, completed_at) index is used."""
    qs = Response.objects.filter(status=ResponseStatus.COMPLETED)
    if filters.start:
        qs = qs.filter(completed_at__gte=local_midnight(filters.start))
    if filters.end:
        qs = qs.filter(completed_at__lt=local_midnight(filters.end + dt.timedelta(days=1)))
    if filters.survey is not None:
        qs = qs.filter(survey_id=filters.survey)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.store:
        qs = qs.filter(store=filters.store)
    if filters.region:
        qs = qs.filter(customer__region=filters.region)
    if filters.category:
        buyers = Purchase.objects.filter(category=filters.category, is_refund=False)
        qs = qs.filter(customer_id__in=buyers.values("customer_id"))
    if filters.segment or filters.value_tier:
        values = CustomerValue.objects.filter(run=latest_clv_run())
        if filters.segment:
            values = values.filter(rfm_segment=filters.segment)
        if filters.value_tier:
            values = values.filter(value_tier=filters.value_tier)
        qs = qs.filter(customer_id__in=values.values("customer_id"))
    return qs


def customers_q(filters: MetricFilters, field: str = "customer_id", run: ClvRun | None = None) -> Q:
    """The filters that describe customers rather than answers, as a condition on `field` (a
    customer id): region, product category bought, store (home store, or bought there) and,
    in `run` (default: the latest CLV run), RFM segment and value tier. Dates, survey and
    channel describe answers and are not part of it."""
    q = Q()
    if filters.region:
        q &= Q(**{f"{field}__in": Customer.objects.filter(region=filters.region).values("pk")})
    if filters.category:
        buyers = Purchase.objects.filter(category=filters.category, is_refund=False)
        q &= Q(**{f"{field}__in": buyers.values("customer_id")})
    if filters.store:
        home = Customer.objects.filter(store__code=filters.store).values("pk")
        buyers = Purchase.objects.filter(store__code=filters.store, is_refund=False)
        q &= Q(**{f"{field}__in": home}) | Q(**{f"{field}__in": buyers.values("customer_id")})
    if filters.segment or filters.value_tier:
        values = CustomerValue.objects.filter(run=run or latest_clv_run())
        if filters.segment:
            values = values.filter(rfm_segment=filters.segment)
        if filters.value_tier:
            values = values.filter(value_tier=filters.value_tier)
        q &= Q(**{f"{field}__in": values.values("customer_id")})
    return q


def feedback_under(filters: MetricFilters = MetricFilters()) -> QuerySet[FeedbackItem]:
    """Feedback items under the filters: dates on when the item arrived (a survey answer's
    item arrives when its response is completed); the other filters through the item's
    response, so items from other channels count only when dates alone are set."""
    return FeedbackItem.objects.filter(_feedback_q(filters))


def _feedback_q(filters: MetricFilters, prefix: str = "") -> Q:
    """`feedback_under` as a condition on `prefix` (e.g. "item__"), to filter the join itself
    rather than through an IN (subquery) of the items."""
    q = Q()
    if filters.start:
        q &= Q(**{f"{prefix}created_at__gte": local_midnight(filters.start)})
    if filters.end:
        end = local_midnight(filters.end + dt.timedelta(days=1))
        q &= Q(**{f"{prefix}created_at__lt": end})
    return q & through_response(filters, prefix)


def through_response(filters: MetricFilters, prefix: str = "") -> Q:
    """The filters other than the dates, on records attached to a response (feedback items,
    cases): their response must match. An empty condition when only dates are set."""
    rest = MetricFilters(**{**filters.__dict__, "start": None, "end": None})
    if rest == MetricFilters():
        return Q()
    return Q(**{f"{prefix}response__in": completed_responses(rest).values("pk")})
