from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response as ApiResponse
from rest_framework.views import APIView

from surveyhub.api.parsers import SafeJSONParser
from surveyhub.api.permissions import ChangePermission, ModelPermissions
from surveyhub.security.ratelimit import (
    DEVICE_HEADER,
    PublicSubmitThrottle,
    device_id,
    throttled_detail,
)
from surveys.api.serializers import (
    PublicSubmitResultSerializer,
    PublicSubmitSerializer,
    ResponseSerializer,
    SurveySerializer,
)
from surveys.design.services import (
    survey_close,
    survey_create,
    survey_create_from_template,
    survey_publish,
    survey_update,
)
from surveys.errors import SurveyError
from surveys.filters import filter_responses
from surveys.privacy.access_log import personal_data_listed, personal_data_viewed
from surveys.queries import (
    responses_for_api,
    survey_for_submit,
    survey_for_submit_cached,
    surveys_with_counts,
)
from surveys.responding.branding import survey_branding_update
from surveys.responding.device import device_key
from surveys.responding.rows import fast_path_available
from surveys.responding.services import response_submit
from surveys.responding.submit_payload import submit_payload

# A SurveyError raised here is answered by surveyhub.api.errors.exception_handler (400, the one
# error shape): the views do not translate errors themselves.


class SurveyViewSet(viewsets.ModelViewSet):
    serializer_class = SurveySerializer
    permission_classes = [ModelPermissions]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return (
            surveys_with_counts()
            .select_related("branding__logo", "branding__cover")
            .prefetch_related("current_version__questions")
            .order_by("-created_at")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        template = data.pop("template", None)
        with transaction.atomic():
            self._create(serializer, data, template)

    def _create(self, serializer, data, template):
        branding = data.pop("branding", None)
        one_per_page = data.pop("one_question_per_page", None)
        wechat_identity = data.pop("wechat_identity", None)
        if template:
            survey = survey_create_from_template(
                template_key=template, slug=data["slug"], by=self.request.user,
                title=data.pop("title", ""), kind=data.pop("kind", ""),
            )  # fmt: skip
            extra = {k: v for k, v in data.items() if k != "slug"}
            if extra:
                survey = survey_update(survey=survey, **extra)
        else:
            survey = survey_create(by=self.request.user, **data)
        if one_per_page is not None:
            survey = survey_update(survey=survey, one_question_per_page=one_per_page)
        if wechat_identity is not None:
            survey = survey_update(survey=survey, wechat_identity=wechat_identity)
        if branding:
            survey_branding_update(survey=survey, **branding)
        serializer.instance = self.get_queryset().get(pk=survey.pk)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("template", None)
        data.pop("kind", None)
        branding = data.pop("branding", None)
        with transaction.atomic():
            survey = survey_update(survey=serializer.instance, **data)
            if branding:
                survey_branding_update(survey=survey, **branding)
        serializer.instance = self.get_queryset().get(pk=survey.pk)

    def perform_destroy(self, survey):
        if survey.responses.exists() or survey.distributions.exists():
            raise SurveyError(_cannot_delete_message())
        survey.delete()

    @extend_schema(request=None, responses=SurveySerializer)
    @action(detail=True, methods=["post"], permission_classes=[ChangePermission])
    def publish(self, request, pk=None):
        survey = survey_publish(survey=self.get_object(), by=request.user)
        return ApiResponse(self.get_serializer(self.get_queryset().get(pk=survey.pk)).data)

    @extend_schema(request=None, responses=SurveySerializer)
    @action(detail=True, methods=["post"], permission_classes=[ChangePermission])
    def close(self, request, pk=None):
        survey = survey_close(survey=self.get_object(), by=request.user)
        return ApiResponse(self.get_serializer(self.get_queryset().get(pk=survey.pk)).data)


def _cannot_delete_message() -> str:
    from django.utils.translation import gettext

    return gettext("A survey with responses or distributions cannot be deleted; close it instead.")


@extend_schema(
    parameters=[
        OpenApiParameter("survey", int), OpenApiParameter("channel", str),
        OpenApiParameter("from", str, description="YYYY-MM-DD, inclusive"),
        OpenApiParameter("to", str, description="YYYY-MM-DD, inclusive"),
    ]
)  # fmt: skip
class ResponseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ResponseSerializer
    permission_classes = [ModelPermissions]

    def get_queryset(self):
        queryset = responses_for_api().prefetch_related("answers__question")
        return filter_responses(queryset, self.request.query_params)

    def list(self, request, *args, **kwargs):
        reply = super().list(request, *args, **kwargs)
        # Responses of known customers show their names.
        shown = sum(1 for row in reply.data.get("results", ()) if row.get("customer"))
        personal_data_listed(request, resource="responses", count=shown)
        return reply

    def retrieve(self, request, *args, **kwargs):
        response = self.get_object()
        personal_data_viewed(
            request, resource="response", object_id=response.pk, customer_id=response.customer_id
        )
        return ApiResponse(self.get_serializer(response).data)


class PublicSubmitView(APIView):
    """Submit a complete response as JSON (apps, WeChat mini programs). No login needed."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    # The hot path of the product: JSON in, JSON out, no content negotiation beyond that.
    parser_classes = [SafeJSONParser]
    renderer_classes = [JSONRenderer]
    # Per device (`X-Device-Id` header or the `sh_device` cookie) and per IP: one cache trip.
    throttle_classes = [PublicSubmitThrottle]

    def throttled(self, request, wait):
        raise Throttled(wait=wait, detail=throttled_detail())

    @extend_schema(
        request=PublicSubmitSerializer,
        parameters=[
            OpenApiParameter(
                DEVICE_HEADER, str, OpenApiParameter.HEADER, required=False,
                pattern=r"^[A-Za-z0-9._:-]{8,64}$",
                description="A stable id of the app install, for the per-device rate limit.",
            )
        ],
        # 429 (rate limited) is added to every public operation by surveyhub.api.schema.
        responses={201: PublicSubmitResultSerializer, 200: PublicSubmitResultSerializer},
    )  # fmt: skip
    def post(self, request, slug):
        if fast_path_available():  # the INSERT re-checks the survey: a cached one is safe
            survey = survey_for_submit_cached(slug)
        else:
            survey = survey_for_submit().filter(slug=slug).first()
        if survey is None:
            raise Http404
        data = submit_payload(request.data)  # None: the serializer reads it and words errors
        if data is None:
            payload = PublicSubmitSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            data = payload.validated_data
        try:
            response, created = response_submit(
                survey=survey, data=data["answers"], submission_id=data.get("submission_id"),
                channel=data["channel"], store=data["store"], language=data["language"],
                consent_given=data["consent"],
                device_key=device_key(data.get("device_id") or device_id(request)),
            )  # fmt: skip
        except SurveyError as exc:
            # The service names answers by question key; in this request they are `answers.<key>`.
            request_fields = PublicSubmitSerializer._declared_fields
            raise exc.nested_under("answers", fields_of_the_request=request_fields) from None
        body = {
            "id": response.pk, "status": response.status, "nps_group": response.nps_group,
            "duplicate": not created,
        }  # fmt: skip
        return ApiResponse(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
