"""/api/v1/actions/: improvement actions (Managers and Admins create and edit; model
permissions), each with its status in words, overdue worked out, and its before/after."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets

from analytics.actions import queries
from analytics.actions.services import action_save
from analytics.evaluations.periods import local_today
from analytics.models import ImprovementAction
from surveyhub.api.permissions import ModelPermissions


class ActionSerializer(serializers.ModelSerializer):
    state = serializers.SerializerMethodField(help_text="open, in_progress, done or overdue")
    state_label = serializers.SerializerMethodField()
    effect = serializers.SerializerMethodField()

    class Meta:
        model = ImprovementAction
        fields = [
            "id", "title", "description", "source", "alert", "topic", "indicator",
            "baseline_period", "baseline_value", "expected_change", "owner", "due_date",
            "status", "done_on", "state", "state_label", "effect", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["baseline_value", "done_on", "created_at", "updated_at"]

    def get_state(self, action) -> str:
        return queries.status_of(action, local_today())[0]

    def get_state_label(self, action) -> str:
        return str(queries.status_of(action, local_today())[1])

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_effect(self, action) -> dict | None:
        """Before/after per later period (detail only: it reads the answers)."""
        if not self.context.get("detail"):
            return None
        return queries.action_effect(action)

    def create(self, validated_data):
        return action_save(ImprovementAction(**validated_data))

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return action_save(instance)


STATES = ["active", "overdue", "open", "in_progress", "done"]


class ActionViewSet(viewsets.ModelViewSet):
    """Improvement actions. `?status=active|overdue|open|in_progress|done`. A bad period, an
    impossible expected change or a past due date is a 400 naming the field."""

    serializer_class = ActionSerializer
    permission_classes = [ModelPermissions]

    def get_queryset(self):
        qs = ImprovementAction.objects.select_related("owner", "alert", "topic")
        status = self.request.query_params.get("status", "")
        today = local_today()
        if status == "overdue":
            qs = qs.exclude(status="done").filter(due_date__lt=today)
        elif status == "active":
            qs = qs.exclude(status="done")
        elif status in ("open", "in_progress", "done"):
            qs = qs.filter(status=status)
        return qs.order_by("due_date", "id")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "detail": self.action == "retrieve"}

    @extend_schema(parameters=[OpenApiParameter("status", OpenApiTypes.STR, enum=STATES)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.save(created_by=self.request.user)
