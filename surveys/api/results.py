"""GET surveys/{id}/results/ (per-question results for the filters) and
GET surveys/{id}/responses/export.{csv,xlsx,sav} (the filtered raw data, streamed)."""

from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response as ApiResponse
from rest_framework.views import APIView

from surveyhub.api.permissions import ModelPermissions
from surveys.models import Response, Survey
from surveys.privacy.access_log import personal_data_access_record
from surveys.results import exports
from surveys.results.access import ResultsPermission, can_read_responses
from surveys.results.filters import (
    CUSTOMER_SEGMENTS,
    QUALITY_FLAGS,
    filtered_responses,
    parse_filters,
    survey_questions,
)
from surveys.results.queries import survey_results

FILTER_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="Completed on or after (local day)."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Completed on or before (local day)."),
    OpenApiParameter("channel", str, enum=["email", "link", "qr", "wechat", "api"]),
    OpenApiParameter("store", str, description="A store code the survey's responses carry."),
    OpenApiParameter("region", str, description="The customer's region."),
    OpenApiParameter("distribution", int, description="Responses to one distribution."),
    OpenApiParameter("version", int, description="Responses to one survey version (number)."),
    *(
        OpenApiParameter(
            name,
            str,
            many=True,
            description="Customer "
            + name.replace("_", " ")
            + " in the latest CLV run (comma-separated or repeated).",
        )
        for name in CUSTOMER_SEGMENTS
    ),
    OpenApiParameter("nps_group", str, enum=["detractor", "passive", "promoter"]),
    OpenApiParameter(
        "q",
        str,
        many=True,
        description="Answer filter question:value, repeatable (AND): `reason:delivery` "
        "(chose this option), `nps:0-6` or `csat:5` (a score or range).",
    ),
    OpenApiParameter(
        "exclude",
        str,
        many=True,
        enum=list(QUALITY_FLAGS),
        description="Leave out flagged responses: speeders (under a third of the median "
        "time), straightliners (one score on every scale item).",
    ),
]


class DistributionEntrySerializer(serializers.Serializer):
    value = serializers.JSONField(help_text="The score, or the stored option value.")
    label = serializers.CharField()
    count = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True, help_text="% of those who answered.")


class NpsSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True)
    n = serializers.IntegerField()
    ci_low = serializers.FloatField(allow_null=True)
    ci_high = serializers.FloatField(allow_null=True)
    promoters = serializers.IntegerField()
    passives = serializers.IntegerField()
    detractors = serializers.IntegerField()
    promoter_share = serializers.FloatField(allow_null=True)
    passive_share = serializers.FloatField(allow_null=True)
    detractor_share = serializers.FloatField(allow_null=True)


class CsatSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True, help_text="Top-2-box share in %.")
    mean = serializers.FloatField(allow_null=True)
    n = serializers.IntegerField()


class CesSerializer(serializers.Serializer):
    mean = serializers.FloatField(allow_null=True)
    easy_share = serializers.FloatField(allow_null=True)
    n = serializers.IntegerField()


class PointSerializer(serializers.Serializer):
    value = serializers.IntegerField(help_text="A point of the matrix scale.")
    count = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True, help_text="% of those who scored the row.")


class GridRowSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="The stored row (matrix) or option (ranking) value.")
    label = serializers.CharField()
    answered = serializers.IntegerField(help_text="Answers that scored the row / ranked it.")
    mean = serializers.FloatField(allow_null=True, required=False, help_text="Matrix only.")
    points = PointSerializer(many=True, required=False, help_text="Matrix only.")
    mean_place = serializers.FloatField(
        allow_null=True, required=False, help_text="Ranking only: 1 is the first place."
    )
    first = serializers.IntegerField(required=False, help_text="Ranking only: ranked first.")
    first_share = serializers.FloatField(allow_null=True, required=False)


class QuestionResultSerializer(serializers.Serializer):
    key = serializers.CharField()
    type = serializers.CharField()
    type_label = serializers.CharField()
    text = serializers.CharField()
    answered = serializers.IntegerField()
    distribution = DistributionEntrySerializer(many=True)
    mean = serializers.FloatField(allow_null=True)
    median = serializers.FloatField(allow_null=True)
    nps = NpsSerializer(required=False, help_text="NPS questions only.")
    csat = CsatSerializer(required=False, help_text="CSAT questions only.")
    ces = CesSerializer(required=False, help_text="CES questions only.")
    rows = GridRowSerializer(
        many=True,
        required=False,
        help_text="Matrix: one entry per row; ranking: one per option, best mean place first.",
    )
    earliest = serializers.DateField(allow_null=True, required=False, help_text="Date only.")
    latest = serializers.DateField(allow_null=True, required=False, help_text="Date only.")


class SurveyResultsSerializer(serializers.Serializer):
    survey = serializers.IntegerField()
    responses = serializers.IntegerField(help_text="Completed responses after the filters.")
    questions = QuestionResultSerializer(many=True)


class SurveyResultsView(APIView):
    """Per-question results of a survey's completed responses (aggregates only: designers
    may read them; no free text, no single response)."""

    permission_classes = [ResultsPermission]

    @extend_schema(parameters=FILTER_PARAMETERS, responses=SurveyResultsSerializer)
    def get(self, request, pk):
        survey = get_object_or_404(Survey, pk=pk)
        filters = parse_filters(request.query_params, survey=survey)
        hidden_values = can_read_responses(request.user)  # link values may be personal
        return ApiResponse(survey_results(survey=survey, filters=filters, language=get_language(),
                                          hidden_values=hidden_values))  # fmt: skip


class _FileRenderer(BaseRenderer):
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else JSONRenderer().render(data)


class _ExportView(APIView):
    """Raw data of the survey's filtered completed responses (single responses and free text:
    Admins, Managers and Agents). Every export is written to the access log."""

    permission_classes = [ModelPermissions]
    queryset = Response.objects.all()
    fmt = ""

    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)

    def handle_exception(self, exc):
        # Errors are JSON like every API error, not JSON labelled as a spreadsheet.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    def get(self, request, pk):
        survey = get_object_or_404(Survey, pk=pk)
        return export_response(request, survey, self.fmt)


def export_response(request, survey: Survey, fmt: str):
    """Check the filters, log the export, and answer the file (pages use it too)."""
    params = request.GET
    questions = survey_questions(survey)
    filters = parse_filters(params, survey=survey, extra=("codes",), questions=questions)
    codes = params.get("codes", "") in {"1", "true", "yes"}
    responses = filtered_responses(survey, filters)
    count = responses.count()
    personal_data_access_record(
        action="export", resource="survey_responses", object_id=survey.pk, count=count,
        request=request,
    )  # fmt: skip
    columns = exports.export_columns(questions, get_language())
    filename = exports.export_filename(survey, fmt)
    if fmt == "csv":
        reply = StreamingHttpResponse(
            exports.stream_csv(responses, columns, codes=codes),
            content_type=exports.CONTENT_TYPES["csv"],
        )
        reply["Content-Disposition"] = f'attachment; filename="{filename}"'
        return reply
    if fmt == "xlsx":
        target = exports.write_xlsx(responses, columns, codes=codes, title=survey.slug)
    else:
        target = exports.write_sav(responses, columns, codes=codes)
    return FileResponse(
        target, as_attachment=True, filename=filename, content_type=exports.CONTENT_TYPES[fmt]
    )


CODES_PARAMETER = OpenApiParameter(
    "codes", OpenApiTypes.BOOL, description="Stored codes instead of labels (default: labels)."
)


def _export_view(fmt: str, media_type: str):
    renderer = type(f"{fmt.upper()}Renderer", (_FileRenderer,), {"media_type": media_type,
                                                                   "format": fmt})  # fmt: skip
    schema = extend_schema(
        parameters=[*FILTER_PARAMETERS, CODES_PARAMETER],
        responses={(200, media_type): OpenApiTypes.BINARY},
        operation_id=f"surveys_responses_export_{fmt}",
    )

    # A function of its own per format: the schema is stored on the function.
    def get(self, request, pk):
        return _ExportView.get(self, request, pk)

    return type(
        f"SurveyResponsesExport{fmt.upper()}View", (_ExportView,),
        {"fmt": fmt, "renderer_classes": [renderer, JSONRenderer], "get": schema(get)},
    )  # fmt: skip


ExportCsvView = _export_view("csv", "text/csv")
ExportXlsxView = _export_view("xlsx", exports.CONTENT_TYPES["xlsx"])
ExportSavView = _export_view("sav", exports.CONTENT_TYPES["sav"])
