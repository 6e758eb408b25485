from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response as ApiResponse

from feedback.analysis.items import CustomerRef, feedback_item_create
from feedback.analysis.queries import (
    FeedbackFilters,
    feedback_items,
    topic_trend,
    topics_nps_impact,
    topics_with_figures,
)
from feedback.analysis.topics import topic_merge, topic_rename
from feedback.api.serializers import (
    FeedbackItemCreateSerializer,
    FeedbackItemSerializer,
    TopicMergeSerializer,
    TopicSerializer,
    TopicTrendSerializer,
)
from feedback.models import SentimentLabel, Topic
from surveyhub.api.permissions import ChangePermission, ModelPermissions
from surveys.filters import parse_day, parse_int
from surveys.models import Survey
from surveys.privacy.access_log import personal_data_viewed


def filters_from_params(params) -> FeedbackFilters:
    """API.md's query parameters → FeedbackFilters; a malformed value is a 400."""
    sentiment = params.get("sentiment", "")
    if sentiment and sentiment not in SentimentLabel.values:
        raise serializers.ValidationError(
            {"sentiment": [_("Expected positive, neutral or negative.")]}
        )
    return FeedbackFilters(
        sentiment=sentiment,
        topic=parse_int(params, "topic"),
        aspect=params.get("aspect", ""),
        survey=parse_int(params, "survey"),
        source=params.get("source", ""),
        date_from=parse_day(params, "from"),
        date_to=parse_day(params, "to"),
        q=params.get("q", "").strip()[:100],
    )


@extend_schema(
    parameters=[
        OpenApiParameter("sentiment", str, enum=SentimentLabel.values),
        OpenApiParameter("topic", int), OpenApiParameter("aspect", str),
        OpenApiParameter("survey", int), OpenApiParameter("source", str),
        OpenApiParameter("from", str, description="YYYY-MM-DD, inclusive"),
        OpenApiParameter("to", str, description="YYYY-MM-DD, inclusive"),
        OpenApiParameter("q", str, description="text contains"),
    ]
)  # fmt: skip
class FeedbackItemViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = FeedbackItemSerializer
    permission_classes = [ModelPermissions]

    def get_queryset(self):
        if self.action == "list":
            return feedback_items(filters_from_params(self.request.query_params))
        return feedback_items()

    def retrieve(self, request, *args, **kwargs):
        item = self.get_object()
        personal_data_viewed(
            request, resource="feedback", object_id=item.pk, customer_id=item.customer_id
        )
        return ApiResponse(self.get_serializer(item).data)

    @extend_schema(
        request=FeedbackItemCreateSerializer,
        responses={201: FeedbackItemSerializer, 200: FeedbackItemSerializer},
    )
    def create(self, request, *args, **kwargs):
        incoming = FeedbackItemCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        survey = None
        if data.get("survey") is not None:
            survey = Survey.objects.filter(pk=data["survey"]).first()
            if survey is None:
                raise serializers.ValidationError({"survey": [_("No such survey.")]})
        # A FeedbackError rolls the item back and is answered by the exception handler (400).
        with transaction.atomic():
            item, created = feedback_item_create(
                text=data["text"],
                source=data["source"],
                customer_ref=CustomerRef(
                    external_id=data.get("customer_external_id", ""),
                    phone=data.get("customer_phone", ""),
                    email=data.get("customer_email", ""),
                ),
                survey=survey,
                external_ref=data.get("external_ref", ""),
                created_at=data.get("created_at"),
            )
        body = self.get_serializer(feedback_items().get(pk=item.pk)).data
        return ApiResponse(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class TopicViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Discovered topics. Update renames (the name survives later discovery runs)."""

    serializer_class = TopicSerializer
    permission_classes = [ModelPermissions]

    def get_queryset(self):
        include_merged = self.action != "list" or self.request.query_params.get("merged") == "1"
        return topics_with_figures(include_merged=include_merged)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["nps_impact"] = getattr(self, "_nps_impact", {})
        return context

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        self._nps_impact = topics_nps_impact([t.pk for t in page])
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        topic = self.get_object()
        self._nps_impact = topics_nps_impact([topic.pk])
        return ApiResponse(self.get_serializer(topic).data)

    def perform_update(self, serializer):
        topic_rename(topic=serializer.instance, name=serializer.validated_data.get("name", ""))

    def update(self, request, *args, **kwargs):
        super().update(request, *args, **kwargs)
        return self.retrieve(request, *args, **kwargs)

    @extend_schema(responses=TopicTrendSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)  # a plain list, not paged
    def trend(self, request, pk=None):
        """Items with this topic per month (local time) and their mean sentiment score."""
        rows = topic_trend(self.get_object())
        return ApiResponse(TopicTrendSerializer(rows, many=True).data)

    @extend_schema(request=TopicMergeSerializer, responses=TopicSerializer)
    @action(detail=True, methods=["post"], permission_classes=[ChangePermission])
    def merge(self, request, pk=None):
        """Merge this topic into `into`; returns the kept topic."""
        incoming = TopicMergeSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        topic = self.get_object()
        into = get_object_or_404(Topic, pk=incoming.validated_data["into"])
        kept = topic_merge(topic=topic, into=into)
        self._nps_impact = topics_nps_impact([kept.pk])
        return ApiResponse(self.get_serializer(topics_with_figures().get(pk=kept.pk)).data)
