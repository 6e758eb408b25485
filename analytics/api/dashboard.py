"""JSON endpoints of the manager dashboard (the metric summary/trend and RFM endpoints in
`evaluations` feed it too). Same filters and the same Manager/Admin permission."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.api.evaluations import FILTER_PARAMETERS, OBJECT_LIST, CanReadEvaluations
from analytics.dashboard import queries
from analytics.metric_queries.filters import MetricFilters
from analytics.metric_queries.survey_metrics import INTERVALS

INTERVAL_PARAMETER = OpenApiParameter("interval", OpenApiTypes.STR, enum=list(INTERVALS))


def interval_from(params) -> str:
    interval = params.get("interval") or "month"
    if interval not in INTERVALS:
        raise ValidationError(
            {"interval": [_("Expected one of: %(choices)s.") % {"choices": ", ".join(INTERVALS)}]}
        )
    return interval


class DashboardView(APIView):
    permission_classes = [CanReadEvaluations]


class TilesView(DashboardView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        """The current quarter's scorecard indicators: value, target, change, status."""
        return Response(queries.dashboard_tiles())


class NpsDistributionView(DashboardView):
    @extend_schema(parameters=FILTER_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        """How many answers gave each NPS score 0–10, with its group."""
        return Response(queries.nps_distribution(MetricFilters.from_params(request.query_params)))


class SentimentTrendView(DashboardView):
    @extend_schema(parameters=[INTERVAL_PARAMETER, *FILTER_PARAMETERS], responses=OBJECT_LIST)
    def get(self, request):
        """Positive / neutral / negative feedback per interval."""
        params = request.query_params
        return Response(
            queries.sentiment_trend(
                filters=MetricFilters.from_params(params), interval=interval_from(params)
            )
        )


class TopicsView(DashboardView):
    @extend_schema(parameters=FILTER_PARAMETERS, responses=OBJECT_LIST)
    def get(self, request):
        """Topics and aspects ranked by their drag on NPS, with mentions and sentiment."""
        filters = MetricFilters.from_params(request.query_params)
        return Response(queries.dashboard_topics(filters=filters))


class MatrixView(DashboardView):
    @extend_schema(parameters=FILTER_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        """Customers per value tier × NPS group, and the high-value detractors."""
        filters = MetricFilters.from_params(request.query_params)
        return Response(queries.satisfaction_value_matrix(filters=filters))


class ServiceView(DashboardView):
    @extend_schema(
        parameters=[INTERVAL_PARAMETER, *FILTER_PARAMETERS], responses=OpenApiTypes.OBJECT
    )
    def get(self, request):
        """Backlog, overdue cases and SLA compliance per interval."""
        params = request.query_params
        return Response(
            queries.service_summary(
                filters=MetricFilters.from_params(params), interval=interval_from(params)
            )
        )
