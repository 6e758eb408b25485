"""/api/v1/alert-robots/: the WeCom / DingTalk / Feishu group robots alerts post to — Admins
only, reads included. The webhook address and the signing secret are credentials: they are
written, never read back; answers show them masked (`url_hint`, `secret_hint`: the last four
characters), as the robots page does."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError

from analytics.alerts.words import masked
from analytics.models import AlertRobot
from surveyhub.api.permissions import ModelPermissions

ROBOT_FIELDS = ["name", "kind", "url", "secret", "is_active"]


class AlertRobotSerializer(serializers.ModelSerializer):
    url_hint = serializers.SerializerMethodField(
        help_text="The webhook address masked: its host and last four characters."
    )
    has_secret = serializers.SerializerMethodField()
    secret_hint = serializers.SerializerMethodField(
        help_text="The signing secret masked (last four characters); empty without one."
    )

    class Meta:
        model = AlertRobot
        fields = ["id", "name", "kind", "url", "secret", "url_hint", "has_secret",
                  "secret_hint", "is_active", "created_at"]  # fmt: skip
        read_only_fields = ["created_at"]
        extra_kwargs = {
            "url": {"write_only": True, "help_text": "The robot's webhook address (https://…"
                    "access_token=…). Write-only: never returned."},
            "secret": {"write_only": True, "style": {"input_type": "password"},
                       "help_text": "DingTalk “SEC…” or Feishu signing secret; empty = no "
                       "signature. Write-only: never returned; left out of a PATCH = kept."},
        }  # fmt: skip

    def get_url_hint(self, robot) -> str:
        return masked(robot.url, url=True)

    def get_has_secret(self, robot) -> bool:
        return bool(robot.secret)

    def get_secret_hint(self, robot) -> str:
        return masked(robot.secret) if robot.secret else ""

    def validate(self, attrs):
        """The model's own rules (an https:// address, a DingTalk secret starting "SEC")."""
        current = {}
        if self.instance is not None:
            current = {name: getattr(self.instance, name) for name in ROBOT_FIELDS}
        try:
            AlertRobot(**{**current, **attrs}).clean()
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from None
        return attrs


EXAMPLE = OpenApiExample(
    "A signed DingTalk robot",
    request_only=True,
    value={
        "name": "客服群 🤖",
        "kind": "dingtalk",
        "is_active": True,
        "url": "https://oapi.dingtalk.com/robot/send?access_token=<token>",
        "secret": "SEC<secret>",
    },
)
ANSWER = OpenApiExample(
    "As answered (the credentials masked)",
    response_only=True,
    value={
        "id": 1,
        "name": "客服群 🤖",
        "kind": "dingtalk",
        "is_active": True,
        "url_hint": "https://oapi.dingtalk.com/…f3a9",
        "has_secret": True,
        "secret_hint": "…7c2e",
        "created_at": "2026-12-06T09:30:00+08:00",
    },
)


class AdminOnly(ModelPermissions):
    """Reads too need the change permission: only Admins hold it for robots."""

    perms_map = {
        **ModelPermissions.perms_map,
        **{m: ["%(app_label)s.change_%(model_name)s"] for m in ("GET", "HEAD", "OPTIONS")},
    }


@extend_schema_view(
    create=extend_schema(examples=[EXAMPLE, ANSWER]),
    update=extend_schema(examples=[EXAMPLE, ANSWER]),
    partial_update=extend_schema(examples=[EXAMPLE, ANSWER]),
    retrieve=extend_schema(examples=[ANSWER]),
)
class AlertRobotViewSet(viewsets.ModelViewSet):
    """Group robots (Admins only). `url` and `secret` are write-only credentials: answers
    carry `url_hint` and `secret_hint`, masked; a PATCH without them keeps them."""

    serializer_class = AlertRobotSerializer
    permission_classes = [AdminOnly]
    queryset = AlertRobot.objects.order_by("name", "id")
