"""GET surveys/{id}/results/other-texts/: the texts typed beside "Other" in one choice question
of the filtered responses, paged, newest first (free text: not for Designers)."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.response import Response as ApiResponse
from rest_framework.views import APIView

from surveys.api.results import FILTER_PARAMETERS
from surveys.models import Survey
from surveys.results.access import can_read_responses
from surveys.results.filters import (
    ResultsFilterError,
    filtered_responses,
    parse_filters,
    survey_questions,
)
from surveys.results.labels import question_text
from surveys.results.other_texts import API_PAGE_SIZE, other_questions, other_text_page


class ReadsResponses(BasePermission):
    def has_permission(self, request, view):
        return can_read_responses(request.user)


class OtherTextSerializer(serializers.Serializer):
    response = serializers.IntegerField()
    text = serializers.CharField()
    completed_at = serializers.DateTimeField()


class OtherTextsSerializer(serializers.Serializer):
    question = serializers.CharField()
    text = serializers.CharField()
    count = serializers.IntegerField(help_text="Texts for the filters, on every page.")
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = OtherTextSerializer(many=True)


class OtherTextsView(APIView):
    permission_classes = [ReadsResponses]

    @extend_schema(
        parameters=[
            OpenApiParameter("question", str, required=True,
                             description="The key of a choice question offering “Other”."),
            OpenApiParameter("page", int, description=f"{API_PAGE_SIZE} texts a page."),
            *FILTER_PARAMETERS,
        ],
        responses=OtherTextsSerializer,
        operation_id="surveys_results_other_texts",
    )  # fmt: skip
    def get(self, request, pk):
        survey = get_object_or_404(Survey, pk=pk)
        questions = survey_questions(survey)
        params = request.query_params
        filters = parse_filters(params, survey=survey, extra=("question", "page"),
                                questions=questions)  # fmt: skip
        key = params.get("question", "")
        offering = other_questions(questions)
        if key not in offering:
            raise ResultsFilterError({"question": _(
                "Expected the key of a choice question offering “Other”: %(keys)s."
            ) % {"keys": ", ".join(offering) or "—"}})  # fmt: skip
        page_number = params.get("page", "1")
        if not page_number.isdigit() or not 1 <= int(page_number) <= 10**6:
            raise ResultsFilterError({"page": _("Expected a page number from 1.")})
        page = other_text_page(filtered_responses(survey, filters), key, page_number,
                               API_PAGE_SIZE)  # fmt: skip
        return ApiResponse({
            "question": key, "text": question_text(offering[key], request.LANGUAGE_CODE),
            "count": page.paginator.count, "page": page.number,
            "pages": page.paginator.num_pages,
            "results": [
                {"response": a.response_id, "text": a.other_text,
                 "completed_at": a.response.completed_at}
                for a in page.object_list
            ],
        })  # fmt: skip
