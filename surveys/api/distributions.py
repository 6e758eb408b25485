"""API of distributions (list, create, retrieve with counts, send) and a survey's links."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response as ApiResponse
from rest_framework.views import APIView

from surveyhub.api.fields import DateTimeField
from surveyhub.api.permissions import ChangePermission, ModelPermissions
from surveys.distribution.audience import audience_clean
from surveys.distribution.building import distribution_send_later
from surveys.distribution.invitations import (
    distribution_cancel,
    distribution_create,
)
from surveys.distribution.links import survey_public_url, survey_qr_url
from surveys.distribution.queries import COUNT_NAMES, distributions_with_counts
from surveys.filters import MAX_BIGINT
from surveys.models import Distribution, DistributionChannel, Survey


class DistributionInputSerializer(serializers.Serializer):
    survey = serializers.PrimaryKeyRelatedField(queryset=Survey.objects.all())
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    channel = serializers.ChoiceField(choices=DistributionChannel.choices)
    audience = serializers.JSONField(required=False, default=dict)
    send_at = DateTimeField(required=False, allow_null=True, default=None)
    reminder_after_days = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=90
    )
    max_reminders = serializers.IntegerField(required=False, default=0, min_value=0, max_value=5)
    # The staff's own email, piped per customer ({name}, {survey_title}, {link}, {order}…).
    email_subject = serializers.CharField(required=False, allow_blank=True, default="")
    email_body = serializers.CharField(required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if attrs["channel"] in (DistributionChannel.EMAIL, DistributionChannel.SMS):
            # An AudienceError is answered under `audience` by the exception handler.
            attrs["audience"] = audience_clean(attrs["audience"])
        return attrs


class DistributionSerializer(serializers.ModelSerializer):
    """A distribution with its invitation counts (defined in surveys.distribution.queries);
    the queryset must come from distributions_with_counts()."""

    survey_title = serializers.CharField(source="survey.title", read_only=True)
    invited = serializers.IntegerField(source="count_invited", read_only=True)
    sent = serializers.IntegerField(source="count_sent", read_only=True)
    delivered = serializers.IntegerField(source="count_delivered", read_only=True)
    bounced = serializers.IntegerField(source="count_bounced", read_only=True)
    failed = serializers.IntegerField(source="count_failed", read_only=True)
    pending = serializers.IntegerField(source="count_pending", read_only=True)
    opened = serializers.IntegerField(source="count_opened", read_only=True)
    started = serializers.IntegerField(source="count_started", read_only=True)
    completed = serializers.IntegerField(source="count_completed", read_only=True)
    skipped_unsubscribed = serializers.IntegerField(
        source="count_skipped_unsubscribed", read_only=True
    )
    skipped_frequency_cap = serializers.IntegerField(
        source="count_skipped_frequency_cap", read_only=True
    )
    skipped_other = serializers.IntegerField(source="count_skipped_other", read_only=True)

    class Meta:
        model = Distribution
        fields = [
            "id", "name", "survey", "survey_title", "channel", "audience", "send_at",
            "reminder_after_days", "max_reminders", "status", "created_at", "queued_at",
            "email_subject", "email_body", "audience_built_at", "status_note",
            *COUNT_NAMES,
        ]  # fmt: skip
        read_only_fields = fields


@extend_schema(
    parameters=[OpenApiParameter("survey", int, description="Only this survey's distributions.")]
)
class DistributionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """Email, SMS and link distributions of surveys, with their invitation counts."""

    serializer_class = DistributionSerializer
    permission_classes = [ModelPermissions]  # `send` needs ChangePermission: get_permissions

    def get_queryset(self):
        queryset = Distribution.objects.order_by("-created_at", "-pk")
        survey = self.request.query_params.get("survey")
        if survey:
            if not survey.isdigit() or int(survey) > MAX_BIGINT:
                raise serializers.ValidationError({"survey": [_("Expected a survey id.")]})
            queryset = queryset.filter(survey_id=int(survey))
        return distributions_with_counts(queryset)

    def get_permissions(self):
        if self.action in ("send", "cancel"):
            return [ChangePermission()]
        return [ModelPermissions()]

    @extend_schema(request=DistributionInputSerializer, responses={201: DistributionSerializer})
    def create(self, request, *args, **kwargs):
        data = DistributionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        distribution = distribution_create(**data.validated_data, by=request.user)
        output = self.get_serializer(self.get_queryset().get(pk=distribution.pk))
        return ApiResponse(output.data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={202: DistributionSerializer})
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        """Queue the sending (or schedule it, when send_at is in the future): the audience is
        built by a task, so that 100,000 customers never hold the request."""
        distribution = self.get_object()
        distribution_send_later(distribution=distribution, by=request.user)
        output = self.get_serializer(self.get_queryset().get(pk=distribution.pk))
        return ApiResponse(output.data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={200: DistributionSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a distribution that has not finished: nothing more is sent."""
        distribution_cancel(distribution=self.get_object(), by=request.user)
        output = self.get_serializer(self.get_queryset().get(pk=pk))
        return ApiResponse(output.data)


class SurveyLinksView(APIView):
    """The public link of a survey and its QR codes (`?c=wechat&store=SH01` tag them)."""

    queryset = Survey.objects.all()
    permission_classes = [ModelPermissions]

    @extend_schema(
        parameters=[
            OpenApiParameter("c", str, description="Channel tag: link, qr or wechat."),
            OpenApiParameter("store", str, description="Store code, e.g. SH01."),
        ],
        responses=inline_serializer(
            "SurveyLinks",
            {
                "public_url": serializers.URLField(),
                "qr_svg_url": serializers.URLField(),
                "qr_png_url": serializers.URLField(),
            },
        ),
    )
    def get(self, request, pk: int):
        survey = Survey.objects.filter(pk=pk).first()
        if survey is None:
            raise NotFound(_("There is no survey with this id."))
        tags = {
            "channel": request.query_params.get("c"),
            "store": request.query_params.get("store"),
        }
        links = {  # a LinkError (bad tag) is a 400 from the exception handler
            "public_url": survey_public_url(survey, **tags),
            "qr_svg_url": survey_qr_url(survey, "svg", **tags),
            "qr_png_url": survey_qr_url(survey, "png", **tags),
        }
        return ApiResponse(links)
