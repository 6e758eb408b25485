"""Evaluation endpoints: metrics summary and trend, RFM, CLV, scorecard snapshots, reports.

Manager and Admin only: the non-model endpoints need `analytics.view_evaluationsnapshot`
(Agents and Designers do not hold it), the model ones the usual model permissions.
"""

import datetime as dt

from django.db.models import Max, OuterRef, Subquery
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from drf_spectacular.plumbing import build_array_type, build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.api.evaluation_schema import ScorecardSchema
from analytics.evaluations.periods import local_today, period_parse
from analytics.evaluations.scorecard import summary_json
from analytics.metric_queries.filters import MetricFilters, latest_clv_run
from analytics.metric_queries.purchase_metrics import rfm_report
from analytics.metric_queries.survey_metrics import INTERVALS, METRICS, metric_summary, metric_trend
from analytics.models import ClvRun, CustomerValue, EvaluationSnapshot, Report, ReportFormat
from analytics.reports.services import report_downloaded, report_request
from analytics.workspace.queries import evaluation_detail
from surveyhub.api.permissions import ModelPermissions
from surveys.filters import MAX_YEAR
from surveys.privacy.access_log import personal_data_listed

EVALUATION_PERMISSION = "analytics.view_evaluationsnapshot"
# The schema of endpoints answering a JSON array of objects.
OBJECT_LIST = {200: build_array_type(build_basic_type(OpenApiTypes.OBJECT))}

FILTER_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="first local day, inclusive"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="last local day, inclusive"),
    OpenApiParameter("survey", OpenApiTypes.INT),
    OpenApiParameter("channel", OpenApiTypes.STR),
    OpenApiParameter("store", OpenApiTypes.STR),
    OpenApiParameter("region", OpenApiTypes.STR),
    OpenApiParameter("category", OpenApiTypes.STR, description="customers who bought in it"),
    OpenApiParameter("segment", OpenApiTypes.STR, description="RFM segment code"),
    OpenApiParameter("value_tier", OpenApiTypes.STR, enum=["high", "medium", "low"]),
]


class CanReadEvaluations(BasePermission):
    """Managers and Admins: whoever may view evaluation snapshots may read every metric."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(EVALUATION_PERMISSION))


def _parse_date(params, name: str, default: dt.date) -> dt.date:
    raw = params.get(name)
    if not raw:
        return default
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        day = None
    if day is None or day.year > MAX_YEAR:  # the year 9999 overflows in date arithmetic
        raise ValidationError(
            {name: [pgettext("API parameter", "Expected a date like 2026-01-31.")]}
        )
    return day


class MetricSummaryView(APIView):
    permission_classes = [CanReadEvaluations]

    @extend_schema(parameters=FILTER_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        """NPS (with n and 95% interval), CSAT and CES for the filters."""
        filters = MetricFilters.from_params(request.query_params)
        return Response(summary_json(metric_summary(filters)))


class MetricTrendView(APIView):
    permission_classes = [CanReadEvaluations]

    @extend_schema(
        parameters=[
            OpenApiParameter("metric", OpenApiTypes.STR, enum=list(METRICS)),
            OpenApiParameter("interval", OpenApiTypes.STR, enum=list(INTERVALS)),
            *FILTER_PARAMETERS,
        ],
        responses=OBJECT_LIST,
    )
    def get(self, request):
        """One point per local day/week/month/quarter: [{period, value, n, ci_low, ci_high}]."""
        params = request.query_params
        metric = params.get("metric") or "nps"
        interval = params.get("interval") or "month"
        errors = {}
        if metric not in METRICS:
            errors["metric"] = [
                _("Expected one of: %(choices)s.") % {"choices": ", ".join(METRICS)}
            ]
        if interval not in INTERVALS:
            errors["interval"] = [
                _("Expected one of: %(choices)s.") % {"choices": ", ".join(INTERVALS)}
            ]
        if errors:
            raise ValidationError(errors)
        filters = MetricFilters.from_params(params)
        points = metric_trend(metric=metric, interval=interval, filters=filters)
        return Response(
            [
                {
                    "period": p.period,
                    "start": p.start.isoformat(),
                    "value": _r(p.value),
                    "n": p.n,
                    "ci_low": _r(p.ci_low),
                    "ci_high": _r(p.ci_high),
                }
                for p in points
            ]
        )


def _r(value):
    return None if value is None else round(value, 4)


class RfmView(APIView):
    permission_classes = [CanReadEvaluations]

    @extend_schema(
        parameters=[OpenApiParameter("as_of", OpenApiTypes.DATE), *FILTER_PARAMETERS],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        """Customers and revenue share per RFM segment as of a date, with each segment's NPS."""
        as_of = _parse_date(request.query_params, "as_of", local_today())
        filters = MetricFilters.from_params(request.query_params)
        segments = []
        for row in rfm_report(as_of=as_of, filters=filters):
            result = row.pop("nps")
            top2 = row.pop("csat")
            segments.append(
                {
                    **row,
                    "nps": {
                        "value": _r(result.value),
                        "n": result.n,
                        "ci_low": _r(result.ci_low),
                        "ci_high": _r(result.ci_high),
                    },
                    "csat": {"value": _r(top2.top2_share), "n": top2.n},
                }
            )
        return Response({"as_of": as_of.isoformat(), "segments": segments})


class CustomerValueSerializer(serializers.ModelSerializer):
    external_id = serializers.CharField(source="customer.external_id", allow_null=True)
    name = serializers.CharField(source="customer.name")

    class Meta:
        model = CustomerValue
        fields = [
            "customer", "external_id", "name", "frequency", "recency", "T", "monetary",
            "recency_days", "orders", "spend", "r_score", "f_score", "m_score", "rfm_segment",
            "p_alive", "expected_orders_1y", "clv", "value_tier",
        ]  # fmt: skip


def clv_run_json(run: ClvRun) -> dict:
    return {
        "id": run.pk, "as_of": run.as_of.isoformat(), "time_unit": run.time_unit,
        "created_at": run.created_at.isoformat(),
        "bgnbd": {"r": run.r, "alpha": run.alpha, "a": run.a, "b": run.b},
        "gamma_gamma": {"p": run.p, "q": run.q, "gamma": run.gamma},
        "fit": {
            "bgnbd_log_likelihood": run.bgnbd_log_likelihood,
            "bgnbd_converged": run.bgnbd_converged,
            "gamma_gamma_log_likelihood": run.gamma_gamma_log_likelihood,
            "n_customers": run.n_customers, "n_repeaters": run.n_repeaters,
            "seconds": run.seconds,
        },
        "horizon_years": run.horizon_years, "margin": run.margin,
    }  # fmt: skip


class ClvView(APIView):
    permission_classes = [CanReadEvaluations]

    @extend_schema(
        parameters=[
            OpenApiParameter("run", OpenApiTypes.INT, description="default: the latest run"),
            OpenApiParameter("segment", OpenApiTypes.STR),
            OpenApiParameter("value_tier", OpenApiTypes.STR),
            OpenApiParameter("page", OpenApiTypes.INT),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        """The fitted parameters and fit quality, and per-customer values (highest CLV first)."""
        params = request.query_params
        if params.get("run"):
            if not params["run"].isdigit():
                raise ValidationError({"run": [_("Expected a whole number.")]})
            run = ClvRun.objects.filter(pk=int(params["run"])).first()
            if run is None:
                raise Http404
        else:
            run = latest_clv_run()
        if run is None:
            return Response({"run": None, "count": 0, "next": None, "previous": None,
                             "results": []})  # fmt: skip
        values = (
            CustomerValue.objects.filter(run=run)
            .select_related("customer")
            .order_by("-clv", "customer_id")
        )
        if params.get("segment"):
            values = values.filter(rfm_segment=params["segment"])
        if params.get("value_tier"):
            values = values.filter(value_tier=params["value_tier"])
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(values, request, view=self)
        response = paginator.get_paginated_response(CustomerValueSerializer(page, many=True).data)
        response.data["run"] = clv_run_json(run)
        # Names and external ids of a page of customers.
        personal_data_listed(
            request, resource="customer_values", object_id=run.pk, count=len(page or ())
        )
        return response


class EvaluationSerializer(serializers.ModelSerializer):
    # The workspace's reading of `result`: labels, units, statuses, changes (and, for one
    # period, sample sizes, trend, headline and CLV health) — analytics/workspace/queries.py.
    scorecard = serializers.SerializerMethodField()

    class Meta:
        model = EvaluationSnapshot
        fields = [
            "period", "period_start", "period_end", "version", "computed_at", "overall_index",
            "result", "segments", "scorecard",
        ]  # fmt: skip

    @extend_schema_field(ScorecardSchema)
    def get_scorecard(self, snapshot) -> dict:
        full = bool(self.context.get("full"))
        return evaluation_detail(snapshot, full=full, previous=self.context.get("previous"))


class EvaluationViewSet(viewsets.ReadOnlyModelViewSet):
    """Scorecard snapshots. List: the latest version of each period; retrieve by period code
    (`2026Q3`, `2026-10`), latest version unless `?version=N`."""

    serializer_class = EvaluationSerializer
    permission_classes = [ModelPermissions]
    queryset = EvaluationSnapshot.objects.all()
    lookup_field = "period"
    lookup_value_regex = r"\d{4}(Q[1-4]|-\d{2})"

    def _latest_per_period(self):
        latest = (
            EvaluationSnapshot.objects.filter(period=OuterRef("period"))
            .values("period")
            .annotate(v=Max("version"))
            .values("v")
        )
        return EvaluationSnapshot.objects.filter(version=Subquery(latest)).order_by(
            "-period_start", "period"
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self._latest_per_period())
        # The previous periods' snapshots come from the page itself (newest first, so each
        # period's predecessor is there but for the oldest): no query per row.
        previous = {s.period: s for s in page}
        context = {**self.get_serializer_context(), "previous": previous}
        data = self.get_serializer(page, many=True, context=context).data
        return self.get_paginated_response(data)

    @extend_schema(parameters=[OpenApiParameter("version", OpenApiTypes.INT)])
    def retrieve(self, request, period=None):
        code = period_parse(period).code  # a PeriodError is a 400 under `period`
        versions = EvaluationSnapshot.objects.filter(period=code).order_by("-version")
        raw = request.query_params.get("version")
        if raw:
            if not raw.isdigit():
                raise ValidationError({"version": [_("Expected a whole number.")]})
            versions = versions.filter(version=int(raw))
        snapshot = versions.first()
        if snapshot is None:
            raise Http404
        data = EvaluationSerializer(snapshot, context={"request": request, "full": True}).data
        data["versions"] = list(
            EvaluationSnapshot.objects.filter(period=code)
            .order_by("version")
            .values_list("version", flat=True)
        )
        return Response(data)


class ReportSerializer(serializers.ModelSerializer):
    # Plain text, not an enum: the same choice set as imports' status would make the schema's
    # enum names collide (drf-spectacular W001, which fails `check --deploy`).
    status = serializers.CharField(read_only=True, help_text="pending, running, succeeded, failed")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = ["id", "period", "format", "status", "error", "download_url", "created_at",
                  "finished_at", "language", "email_managers", "emailed_to"]  # fmt: skip
        read_only_fields = fields

    def get_download_url(self, report: Report) -> str | None:
        if report.status != "succeeded" or not report.file:
            return None
        url = reverse("report-download", args=[report.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class ReportCreateSerializer(serializers.Serializer):
    period = serializers.CharField(max_length=20, help_text="a quarter (2026Q3) or a month")
    format = serializers.ChoiceField(choices=ReportFormat.choices, default=ReportFormat.XLSX)
    email_managers = serializers.BooleanField(
        default=False, help_text="mail the finished file to every Manager"
    )


class ReportViewSet(
    mixins.CreateModelMixin, mixins.RetrieveModelMixin, mixins.ListModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """Reports: create one for a period (generated by a worker); retrieve its status and
    download link; `download/` returns the file."""

    serializer_class = ReportSerializer
    permission_classes = [ModelPermissions]
    queryset = Report.objects.all()

    def get_queryset(self):
        return Report.objects.order_by("-created_at", "-id")

    @extend_schema(request=ReportCreateSerializer, responses={202: ReportSerializer})
    def create(self, request, *args, **kwargs):
        data = ReportCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = report_request(  # a ReportError is a 400 under `period`
            period=data.validated_data["period"],
            format=data.validated_data["format"],
            by=request.user,
            email_managers=data.validated_data["email_managers"],
        )
        return Response(self.get_serializer(report).data, status=202)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="download", url_name="download")
    def download(self, request, pk=None):
        report = self.get_object()
        if report.status != "succeeded" or not report.file:
            raise Http404
        report_downloaded(report, user=request.user, via="api")
        return FileResponse(
            report.file.open("rb"), as_attachment=True, filename=report.file.name.rsplit("/")[-1]
        )
