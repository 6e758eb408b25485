"""Referrals and demographic breakdowns in the API: `analytics/referrals/` (referral rate and
word-of-mouth value) and `analytics/demographics/` (NPS / CSAT / CES by gender, age band, city
or member level)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.api.evaluations import FILTER_PARAMETERS, CanReadEvaluations
from analytics.demographics.queries import BREAKDOWNS, demographic_breakdown
from analytics.metric_queries.filters import MetricFilters
from analytics.referrals.queries import referral_summary

ReferralSummarySerializer = inline_serializer(
    "ReferralSummary",
    {
        "from": serializers.DateField(allow_null=True),
        "to": serializers.DateField(allow_null=True),
        "promoters": serializers.IntegerField(help_text="promoters who answered in the period"),
        "referring_promoters": serializers.IntegerField(
            help_text="of them, promoters whose code brought at least one new customer"
        ),
        "referral_rate": serializers.FloatField(
            allow_null=True, help_text="referring promoters ÷ promoters, in % (null: none)"
        ),
        "referred_customers": serializers.IntegerField(),
        "orders": serializers.IntegerField(help_text="the referred customers' orders"),
        "spend": serializers.DecimalField(
            max_digits=16, decimal_places=2, help_text="their purchases, net of refunds"
        ),
        "clv": serializers.DecimalField(
            max_digits=16, decimal_places=2, help_text="their CLV (latest run)"
        ),
        "word_of_mouth_value": serializers.DecimalField(
            max_digits=16, decimal_places=2, help_text="spend + CLV"
        ),
    },
)


class ReferralsView(APIView):
    permission_classes = [CanReadEvaluations]

    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="first local day, inclusive"),
            OpenApiParameter("to", OpenApiTypes.DATE, description="last local day, inclusive"),
        ],
        responses=ReferralSummarySerializer,
    )
    def get(self, request):
        """Referral rate (promoters who referred at least one new customer ÷ promoters who
        answered in the period) and word-of-mouth value (the referred customers' purchases
        and CLV)."""
        filters = MetricFilters.from_params(request.query_params)
        result = referral_summary(start=filters.start, end=filters.end)
        return Response(
            {
                "from": filters.start, "to": filters.end,
                "promoters": result.promoters,
                "referring_promoters": result.referring_promoters,
                "referral_rate": None if result.rate is None else round(result.rate, 4),
                "referred_customers": result.referred_customers, "orders": result.orders,
                "spend": str(result.spend), "clv": str(result.clv),
                "word_of_mouth_value": str(result.value),
            }
        )  # fmt: skip


class DemographicsView(APIView):
    permission_classes = [CanReadEvaluations]

    @extend_schema(
        parameters=[
            OpenApiParameter("by", OpenApiTypes.STR, enum=list(BREAKDOWNS), required=True),
            *FILTER_PARAMETERS,
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        """NPS (with n and 95% interval), CSAT and CES per gender, age band, city or member
        level (from the customer import): [{key, label, nps, csat, ces}]; key "" is customers
        without the attribute."""
        by = request.query_params.get("by", "")
        if by not in BREAKDOWNS:
            raise ValidationError(
                {"by": [_("Expected one of: %(choices)s.") % {"choices": ", ".join(BREAKDOWNS)}]}
            )
        filters = MetricFilters.from_params(request.query_params)
        return Response({"by": by, "results": demographic_breakdown(by=by, filters=filters)})
