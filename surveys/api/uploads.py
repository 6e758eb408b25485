"""Uploads through the API: a respondent app's file before its submit (public), and a
designer's picture for an image-choice option (staff)."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response as ApiResponse
from rest_framework.views import APIView

from surveyhub.api.permissions import ChangePermission
from surveyhub.security.ratelimit import PublicSubmitThrottle, throttled_detail
from surveys.errors import SurveyError
from surveys.models import Survey
from surveys.queries import survey_for_submit
from surveys.responding.branding import brand_image_store, image_url
from surveys.responding.services import survey_state
from surveys.responding.uploads import file_upload_ahead

OPTION_IMAGE_MAX_BYTES = 300 * 1024


class FileUploadSerializer(serializers.Serializer):
    question = serializers.CharField(help_text="The key of the survey's file-upload question.")
    file = serializers.FileField()


class FileUploadResultSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send this as the question's answer in the submit.")
    name = serializers.CharField()
    size = serializers.IntegerField()
    content_type = serializers.CharField()


class PublicFileUploadView(APIView):
    """Upload a respondent's file ahead of the JSON submit; the submit names it by `token`.
    The file is judged by its bytes against the question's size limit and kinds; an upload
    no submit claims within 24 hours is deleted."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    parser_classes = [MultiPartParser]
    renderer_classes = [JSONRenderer]
    throttle_classes = [PublicSubmitThrottle]

    def throttled(self, request, wait):
        raise Throttled(wait=wait, detail=throttled_detail())

    @extend_schema(request={"multipart/form-data": FileUploadSerializer},
                   responses={201: FileUploadResultSerializer})  # fmt: skip
    def post(self, request, slug):
        survey = survey_for_submit().filter(slug=slug).first()
        if survey is None:
            raise Http404
        if survey_state(survey) != "open":
            from django.utils.translation import gettext as _

            raise SurveyError(_("This survey is not taking answers."))
        stored = file_upload_ahead(
            survey=survey, question_key=request.data.get("question", ""),
            upload=request.FILES.get("file"),
        )  # fmt: skip
        body = {"token": stored.token, "name": stored.name, "size": stored.size,
                "content_type": stored.content_type}  # fmt: skip
        return ApiResponse(body, status=status.HTTP_201_CREATED)


class ImageUploadSerializer(serializers.Serializer):
    image = serializers.FileField(help_text="PNG, JPEG, GIF or WebP, at most 300 KB.")


class ImageUploadResultSerializer(serializers.Serializer):
    digest = serializers.CharField(help_text="Put this in an image-choice option's `image`.")
    url = serializers.CharField()


class ImageUploadView(APIView):
    """Upload a picture for an image-choice option (judged by its bytes; stored once by its
    SHA-256 and served from /brand/<digest>/)."""

    permission_classes = [ChangePermission]
    parser_classes = [MultiPartParser]
    queryset = Survey.objects.none()  # the permission checks surveys.change_survey

    @extend_schema(request={"multipart/form-data": ImageUploadSerializer},
                   responses={201: ImageUploadResultSerializer})  # fmt: skip
    def post(self, request):
        image = brand_image_store(upload=_required_file(request, "image"), field="image",
                                  max_bytes=OPTION_IMAGE_MAX_BYTES)  # fmt: skip
        return ApiResponse({"digest": image.digest, "url": image_url(image.digest)},
                           status=status.HTTP_201_CREATED)  # fmt: skip


def _required_file(request, name):
    upload = request.FILES.get(name)
    if upload is None:
        from django.utils.translation import gettext as _

        raise SurveyError(_("Choose a file."), {name: _("Choose a file.")})
    return upload
