"""The `imports/` resource: upload a file to import, follow its progress, get its error report."""

import json

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from analytics.imports.jobs import import_job_create
from analytics.imports.report import error_message
from analytics.imports.views import error_report_response
from analytics.models import ImportJob, ImportKind
from analytics.purchases.queries import import_jobs
from surveyhub.api.parsers import loads as json_loads
from surveyhub.api.permissions import ModelPermissions
from surveys.privacy.access_log import personal_data_access_record


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField()
    value = serializers.CharField(allow_blank=True)
    message = serializers.CharField()


class ImportJobSerializer(serializers.ModelSerializer):
    errors = serializers.SerializerMethodField()
    error_report_url = serializers.SerializerMethodField()
    message = serializers.CharField(source="message_text", read_only=True)
    stores_added = serializers.ListField(
        child=serializers.CharField(), read_only=True,
        help_text=_("Codes of the stores this import added to the managed store list."),
    )  # fmt: skip
    stores_added_label = serializers.CharField(
        source="stores_added_text", read_only=True,
        help_text=_("The import summary's line on the stores it added, for display."),
    )  # fmt: skip
    notes = serializers.ListField(
        child=serializers.CharField(), source="notes_text", read_only=True,
        help_text=_("What was left out of rows that were still imported (e.g. an unknown "
                    "referral code), for display."),
    )  # fmt: skip

    class Meta:
        model = ImportJob
        fields = [
            "id", "kind", "status", "progress", "original_name", "encoding", "dry_run",
            "create_customers", "mapping", "rows_total", "rows_ok", "rows_failed",
            "rows_created", "rows_updated", "customers_created", "stores_added",
            "stores_added_label", "notes", "detected_encoding",
            "detected_delimiter", "columns", "errors", "error_report_url", "message",
            "created_at", "started_at", "finished_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(ImportErrorSerializer(many=True))
    def get_errors(self, job: ImportJob) -> list[dict]:
        return [
            {
                "row": error["row"],
                "column": error["column"],
                "value": error["value"],
                "message": error_message(error["message"], error.get("params")),
            }
            for error in job.errors
        ]

    def get_error_report_url(self, job: ImportJob) -> str | None:
        if not job.error_report:
            return None
        url = reverse("import-error-report", args=[job.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class ImportCreateSerializer(serializers.Serializer):
    file = serializers.FileField()
    kind = serializers.ChoiceField(choices=ImportKind.choices)
    encoding = serializers.CharField(required=False, allow_blank=True, max_length=20)
    dry_run = serializers.BooleanField(required=False, default=False)
    create_customers = serializers.BooleanField(required=False, default=True)
    mapping = serializers.JSONField(
        required=False,
        help_text=_('Header → field, e.g. {"会员卡": "customer_id"}; "" ignores a column.'),
    )

    def validate_mapping(self, value):
        if isinstance(value, str):
            try:
                value = json_loads(value)
            except ValueError:
                raise serializers.ValidationError(_("Expected a JSON object.")) from None
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise serializers.ValidationError(_("Expected a JSON object of header → field."))
        return value


class _FileRenderer(BaseRenderer):
    """Lets `?format=csv|xlsx` pick the error report's file type; the view streams the file."""

    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else json.dumps(data).encode()


class CSVRenderer(_FileRenderer):
    media_type = "text/csv"
    format = "csv"


class XLSXRenderer(_FileRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"


class ImportJobViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ImportJobSerializer
    permission_classes = [ModelPermissions]
    parser_classes = [MultiPartParser, FormParser]
    queryset = ImportJob.objects.none()

    def get_queryset(self):
        return import_jobs()

    def handle_exception(self, exc):
        # An error of the error report (no such job, no report) is JSON like every API error,
        # not a JSON body labelled text/csv by the file renderer.
        if self.action == "error_report":
            self.request.accepted_renderer = JSONRenderer()
            self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    # 400 and 413 (with the other error responses) are documented by surveyhub.api.schema.
    @extend_schema(request=ImportCreateSerializer, responses={201: ImportJobSerializer})
    def create(self, request, *args, **kwargs):
        incoming = ImportCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        # An ImportError_ is answered by the exception handler: 400, or 413 for a file over
        # the size limit.
        job = import_job_create(
            kind=data["kind"],
            upload=data["file"],
            encoding=data.get("encoding", ""),
            dry_run=data["dry_run"],
            create_customers=data["create_customers"],
            mapping=data.get("mapping") or {},
            by=request.user,
        )
        job.refresh_from_db()
        body = ImportJobSerializer(job, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("format", enum=["csv", "xlsx"], default="csv")],
        responses={(200, "text/csv"): bytes},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="error-report",
        url_name="error-report",
        renderer_classes=[CSVRenderer, XLSXRenderer],
    )
    def error_report(self, request, pk=None) -> FileResponse | StreamingHttpResponse:
        job = self.get_object()
        if not job.error_report:
            raise Http404
        personal_data_access_record(
            action="export", resource="import_errors", object_id=job.pk, count=job.rows_failed,
            request=request,
        )  # fmt: skip
        return error_report_response(job, request.accepted_renderer.format)
