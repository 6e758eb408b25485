"""/api/v1/alert-rules/ (Admins write; Managers read) and /api/v1/alerts/ (the firings, with
their deliveries; `close/` and a delivery's `redrive/`). Model permissions throughout."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from analytics.alerts import words
from analytics.alerts.services import alert_close, deliveries_send_due, delivery_redrive
from analytics.models import Alert, AlertDelivery, AlertRule, AlertStatus
from surveyhub.api.permissions import ChangePermission, ModelPermissions

RULE_FIELDS = [
    "name", "kind", "window", "threshold", "indicator", "topic", "significance", "min_count",
    "email_managers", "extra_emails", "is_active", "muted_until",
]  # fmt: skip
DELIVERY_PARAMETER = OpenApiParameter("delivery", OpenApiTypes.INT, required=True)


class AlertRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = AlertRule
        fields = [
            "id", "name", "kind", "window", "threshold", "indicator", "topic", "significance",
            "min_count", "email_managers", "extra_emails", "robots", "is_active", "muted_until",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]

    def validate(self, attrs):
        """The model's own rules (impossible thresholds, bad addresses), field by field."""
        robots = attrs.pop("robots", None)
        instance = AlertRule(**{**self._current(), **attrs})
        try:
            instance.clean()
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from None
        attrs.update({"threshold": instance.threshold, "indicator": instance.indicator,
                      "topic": instance.topic})  # fmt: skip
        if robots is not None:
            attrs["robots"] = robots
        return attrs

    def _current(self) -> dict:
        if self.instance is None:
            return {}
        return {name: getattr(self.instance, name) for name in RULE_FIELDS}


class AlertRuleViewSet(viewsets.ModelViewSet):
    """Alert rules. `threshold`: the smallest drop in points (nps_drop, csat_drop), the
    detractor share in % (detractor_share) or the multiple of last period's negative
    mentions (topic_surge); unused for below_target."""

    serializer_class = AlertRuleSerializer
    permission_classes = [ModelPermissions]
    queryset = AlertRule.objects.prefetch_related("robots").order_by("name", "id")

    def perform_create(self, serializer):
        serializer.save(created_by=self.request.user)


class AlertDeliverySerializer(serializers.ModelSerializer):
    channel = serializers.SerializerMethodField()

    class Meta:
        model = AlertDelivery
        fields = ["id", "channel", "robot", "status", "attempts", "next_attempt_at",
                  "last_error", "sent_at"]  # fmt: skip
        read_only_fields = fields

    def get_channel(self, delivery) -> str:
        return delivery.robot.kind if delivery.robot_id else "email"


class AlertSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    message = serializers.SerializerMethodField()
    deliveries = AlertDeliverySerializer(many=True, read_only=True)

    class Meta:
        model = Alert
        fields = ["id", "rule", "key", "title", "message", "details", "status", "fired_at",
                  "closed_at", "deliveries"]  # fmt: skip
        read_only_fields = fields

    def get_title(self, alert) -> str:
        return words.alert_title(alert.details.get("kind", ""), alert.details)

    def get_message(self, alert) -> str:
        return words.alert_message(alert.details.get("kind", ""), alert.details)


class AlertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Fired alerts, newest first, in the request's language, with every delivery attempt's
    outcome. `?status=open|closed`."""

    serializer_class = AlertSerializer
    permission_classes = [ChangePermission]

    def get_queryset(self):
        qs = Alert.objects.select_related("rule").prefetch_related("deliveries__robot")
        status = self.request.query_params.get("status", "")
        if status:
            if status not in AlertStatus.values:
                raise ValidationError(
                    {"status": [_("Expected one of: %(choices)s.") % {"choices": "open, closed"}]}
                )
            qs = qs.filter(status=status)
        return qs.order_by("-fired_at", "-id")

    @extend_schema(parameters=[OpenApiParameter("status", OpenApiTypes.STR,
                                                enum=list(AlertStatus.values))])  # fmt: skip
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses=AlertSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return Response(self.get_serializer(alert_close(self.get_object())).data)

    @extend_schema(request=None, responses=AlertSerializer, parameters=[DELIVERY_PARAMETER])
    @action(detail=True, methods=["post"])
    def redrive(self, request, pk=None):
        """Send a failed delivery of this alert again (`?delivery=<id>`)."""
        alert = self.get_object()
        raw = request.query_params.get("delivery", "")
        if not raw.isdigit():
            raise ValidationError({"delivery": [_("Expected a whole number.")]})
        delivery_redrive(get_object_or_404(AlertDelivery, pk=int(raw), alert=alert))
        deliveries_send_due()
        alert.refresh_from_db()
        return Response(self.get_serializer(alert).data)
