"""The survey file through the API: `GET /api/v1/surveys/{id}/export/` (the same file the
staff page downloads) and `POST /api/v1/surveys/import/` (the file as the JSON body, or
multipart `file`) → a new draft."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response as ApiResponse
from rest_framework.views import APIView

from surveyhub.api.parsers import SafeJSONParser
from surveyhub.api.permissions import ModelPermissions
from surveys.design.interchange.document import document_bytes, export_file_name, survey_document
from surveys.design.interchange.services import MAX_FILE_BYTES, survey_import
from surveys.errors import SurveyError
from surveys.models import Survey


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A survey file of our format or SurveyJS JSON.")
    slug = serializers.CharField(required=False, help_text="The new survey's link name.")


class ImportResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField(help_text="Always `draft`.")
    questions = serializers.IntegerField(help_text="How many questions were imported.")
    source = serializers.ChoiceField(choices=["surveyhub", "surveyjs"])
    warnings = serializers.ListField(child=serializers.CharField())
    builder_url = serializers.CharField()


class SurveyExportView(APIView):
    permission_classes = [ModelPermissions]
    queryset = Survey.objects.all()

    @extend_schema(
        summary="Export a survey as a file of our own format",
        description="The survey's current version, its texts, branding and pictures, in the "
        "versioned format of surveys/design/interchange/FORMAT.md (no ids, answers or dates).",
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="The survey file.")},
    )
    def get(self, request, pk):
        survey = get_object_or_404(Survey.objects.select_related("current_version"), pk=pk)
        reply = HttpResponse(
            document_bytes(survey_document(survey)), content_type="application/json"
        )
        reply["Content-Disposition"] = f'attachment; filename="{export_file_name(survey)}"'
        return reply


class SurveyImportView(APIView):
    permission_classes = [ModelPermissions]
    queryset = Survey.objects.all()
    parser_classes = [SafeJSONParser, MultiPartParser]

    @extend_schema(
        summary="Import a survey file as a new draft",
        description="Our own format (FORMAT.md) or SurveyJS JSON, as the JSON body or as the "
        "multipart field `file`. Every problem is listed at once (`errors`, by place) and "
        "nothing is imported unless the whole file is.",
        request={
            "application/json": OpenApiTypes.OBJECT,
            "multipart/form-data": ImportUploadSerializer,
        },
        parameters=[
            OpenApiParameter(
                "slug", str, required=False, description="The new survey's link name (JSON body)."
            )
        ],
        responses={201: ImportResultSerializer},
    )
    def post(self, request):
        upload = request.FILES.get("file")
        if upload is not None:
            content = upload.read(MAX_FILE_BYTES + 1)
            slug = request.data.get("slug", "")
        elif request.content_type.startswith("multipart/"):
            message = _("Choose the file to import.")
            raise SurveyError(message, {"file": message})
        else:
            content, slug = request.data, request.query_params.get("slug", "")
        imported = survey_import(content=content, slug=str(slug), by=request.user)
        survey = imported.survey
        result = {
            "id": survey.pk,
            "slug": survey.slug,
            "title": survey.title,
            "status": survey.status,
            "questions": survey.current_version.questions.count(),
            "source": imported.source,
            "warnings": imported.warnings,
            "builder_url": reverse("surveys:builder", args=[survey.pk]),
        }
        return ApiResponse(ImportResultSerializer(result).data, status=status.HTTP_201_CREATED)
