from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from surveyhub.api.fields import DateTimeField
from surveys.design.survey_templates import TEMPLATES_BY_KEY
from surveys.models import (
    Answer,
    Channel,
    Language,
    OptionOrder,
    Question,
    QuestionType,
    Response,
    Survey,
    SurveyKind,
    WechatIdentity,
)
from surveys.privacy.consent import consent_summary
from surveys.questions.words import answer_file, answer_words


class QuestionSerializer(serializers.ModelSerializer):
    type = serializers.ChoiceField(choices=QuestionType.choices)
    option_order = serializers.ChoiceField(choices=OptionOrder.choices, required=False)
    options = serializers.ListField(child=serializers.DictField(), required=False)
    show_if = serializers.DictField(required=False, allow_null=True)
    jumps = serializers.ListField(
        child=serializers.DictField(), required=False,
        help_text="Skip logic after the question: [{when: condition or null, action: skip | end, "
        "to: key of a later question}]; a condition without `question` is about this question.",
    )  # fmt: skip
    config = serializers.DictField(
        required=False,
        help_text="Settings of the type. slider: min, max, step (whole numbers within ±10000), "
        "low_label, high_label (+ _en); region: levels (1 province, 2 city, 3 district); "
        "file: max_kb (≤ 10240), kinds (image, pdf, office, text). Image choices: each option "
        "has `image`, the digest of an image uploaded with POST /api/v1/images/.",
    )

    class Meta:
        model = Question
        fields = [
            "key", "position", "type", "required", "text", "text_en", "help_text",
            "help_text_en", "options", "allow_other", "option_order", "show_if", "max_length",
            "scale_style", "config", "jumps",
        ]  # fmt: skip
        read_only_fields = ["position"]
        extra_kwargs = {"key": {"validators": []}}


class BrandingSerializer(serializers.Serializer):
    """A survey's own look (empty: the organisation's default). Logo and cover are uploaded in
    the builder; here they are read as URLs."""

    colour = serializers.RegexField(r"^#[0-9a-fA-F]{6}$", required=False, allow_blank=True)
    logo = serializers.CharField(read_only=True, help_text="URL of the survey's own logo.")
    cover = serializers.CharField(read_only=True, help_text="URL of the survey's cover image.")
    end_button_label = serializers.CharField(max_length=40, required=False, allow_blank=True)
    end_button_label_en = serializers.CharField(max_length=40, required=False, allow_blank=True)
    end_button_url = serializers.URLField(required=False, allow_blank=True)
    end_redirect_url = serializers.URLField(required=False, allow_blank=True)


BRANDING_FIELDS = ("colour", "logo", "cover", "end_button_label", "end_button_label_en",
                   "end_button_url", "end_redirect_url")  # fmt: skip


def branding_data(survey) -> dict:
    from surveys.responding.branding import image_url

    try:
        own = survey.branding
    except ObjectDoesNotExist:
        own = None
    if own is None:
        return dict.fromkeys(BRANDING_FIELDS, "")
    return {
        "colour": own.colour, "logo": image_url(own.logo.digest if own.logo else None),
        "cover": image_url(own.cover.digest if own.cover else None),
        "end_button_label": own.end_button_label, "end_button_label_en": own.end_button_label_en,
        "end_button_url": own.end_button_url, "end_redirect_url": own.end_redirect_url,
    }  # fmt: skip


VERSION_TEXT_FIELDS = [
    "intro", "intro_en", "thank_you", "thank_you_en", "consent_text", "consent_text_en",
]  # fmt: skip


class SurveySerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=SurveyKind.choices, required=False)
    title = serializers.CharField(max_length=200, required=False)
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=Language.choices), required=False
    )
    questions = QuestionSerializer(many=True, required=False)
    template = serializers.ChoiceField(
        choices=sorted(TEMPLATES_BY_KEY), write_only=True, required=False,
        help_text="Create from a ready-made template instead of giving kind, title and questions.",
    )  # fmt: skip
    version = serializers.IntegerField(source="current_version.number", read_only=True)
    response_count = serializers.IntegerField(read_only=True, source="completed_count", default=0)
    intro = serializers.CharField(required=False, allow_blank=True)
    intro_en = serializers.CharField(required=False, allow_blank=True)
    thank_you = serializers.CharField(required=False, allow_blank=True)
    thank_you_en = serializers.CharField(required=False, allow_blank=True)
    consent_text = serializers.CharField(required=False, allow_blank=True)
    consent_text_en = serializers.CharField(required=False, allow_blank=True)
    opens_at = DateTimeField(required=False, allow_null=True)
    closes_at = DateTimeField(required=False, allow_null=True)
    one_question_per_page = serializers.BooleanField(required=False)
    wechat_identity = serializers.ChoiceField(choices=WechatIdentity.choices, required=False)
    branding = BrandingSerializer(required=False)

    class Meta:
        model = Survey
        fields = [
            "id", "title", "title_en", "slug", "kind", "status", "languages", "opens_at",
            "closes_at", "version", "response_count", "template", "questions",
            *VERSION_TEXT_FIELDS, "one_question_per_page", "wechat_identity", "branding",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["status", "created_at", "updated_at"]
        extra_kwargs = {"slug": {"validators": []}}

    def to_representation(self, survey):
        data = super().to_representation(survey)
        version = survey.current_version
        questions = version.questions.all() if version else []
        data["questions"] = QuestionSerializer(questions, many=True).data
        for name in VERSION_TEXT_FIELDS:
            data[name] = getattr(version, name, "")
        data["branding"] = branding_data(survey)
        return data

    def validate(self, attrs):
        if self.instance is None and "template" not in attrs:
            missing = [name for name in ("title", "kind") if name not in attrs]
            if missing:
                required = serializers.Field.default_error_messages["required"]
                raise serializers.ValidationError({name: [required] for name in missing})
        return attrs


class AnswerFileSerializer(serializers.Serializer):
    name = serializers.CharField()
    size = serializers.IntegerField()
    content_type = serializers.CharField()
    url = serializers.CharField()


class AnswerSerializer(serializers.ModelSerializer):
    question = serializers.CharField(source="question_key")
    type = serializers.CharField(source="question.type")
    question_text = serializers.CharField(source="question.text")
    value = serializers.SerializerMethodField()
    words = serializers.SerializerMethodField(
        help_text="The answer as a person reads it: option labels, a region's names "
        "(“广东省 深圳市 南山区”), an uploaded file's name and size."
    )
    file = serializers.SerializerMethodField(
        help_text="File-upload answers: name, size, content type and the staff download URL."
    )

    class Meta:
        model = Answer
        fields = ["question", "type", "question_text", "value", "other_text", "words", "file"]

    def get_value(self, answer) -> int | str | list[str] | None:
        if answer.number is not None:
            return answer.number
        if answer.choices:
            return answer.choices
        return answer.text

    def get_words(self, answer) -> str:
        return answer_words(answer)

    @extend_schema_field(AnswerFileSerializer(allow_null=True))
    def get_file(self, answer) -> dict | None:
        return answer_file(answer)


class ConsentSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    language = serializers.CharField()
    sha256 = serializers.CharField()
    text = serializers.CharField()
    accepted_at = serializers.DateTimeField(allow_null=True)


class ResponseSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="version.number")
    customer = serializers.SerializerMethodField()
    nps_group = serializers.CharField(read_only=True, allow_null=True)
    duration_seconds = serializers.SerializerMethodField()
    answers = AnswerSerializer(many=True)
    consent = serializers.SerializerMethodField()

    class Meta:
        model = Response
        fields = [
            "id", "survey", "version", "customer", "channel", "store", "source", "language",
            "status", "started_at", "completed_at", "duration_seconds", "nps_score", "nps_group",
            "csat_score", "ces_score", "answers", "consent",
        ]  # fmt: skip

    @extend_schema_field(ConsentSerializer(allow_null=True))
    def get_consent(self, response) -> dict | None:
        """The privacy notice the respondent accepted: its version, language, text and hash."""
        return consent_summary(response)

    def get_customer(self, response) -> dict | None:
        customer = response.customer
        if customer is None:
            return None
        return {"id": customer.pk, "external_id": customer.external_id, "name": customer.name}

    def get_duration_seconds(self, response) -> int | None:
        if response.completed_at is None:
            return None
        return int((response.completed_at - response.started_at).total_seconds())


class PublicSubmitSerializer(serializers.Serializer):
    answers = serializers.DictField(help_text="Question key → value (number, text or list).")
    submission_id = serializers.UUIDField(
        required=False, help_text="Client-made id; sending it again returns the first response."
    )
    channel = serializers.ChoiceField(
        choices=[Channel.API, Channel.WECHAT, Channel.QR, Channel.LINK, Channel.IN_PAGE],
        default=Channel.API,
    )
    device_id = serializers.RegexField(
        r"^[A-Za-z0-9._:-]{8,64}$", required=False,
        help_text="The answering device's random id (the in-page script's localStorage id).",
    )  # fmt: skip
    store = serializers.CharField(max_length=64, required=False, default="", allow_blank=True)
    language = serializers.ChoiceField(choices=Language.choices, default=Language.ZH_HANS)
    consent = serializers.BooleanField(default=False)


class PublicSubmitResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    nps_group = serializers.CharField(allow_null=True)
    duplicate = serializers.BooleanField()
