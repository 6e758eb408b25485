"""Surveys, their versions and questions.

A survey is an identity (slug, status, dates); what respondents see lives in a
SurveyVersion. Editing a version that already has responses creates a new
version, so every response keeps the exact questions it answered.
"""

from django.conf import settings
from django.core.validators import MinLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SurveyKind(models.TextChoices):
    NPS = "nps", _("NPS")
    CSAT = "csat", _("CSAT")
    CES = "ces", _("CES")
    CUSTOM = "custom", _("Custom")


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class WechatIdentity(models.TextChoices):
    """What a survey asks of WeChat's OAuth (snsapi_base: the openid, no prompt shown)."""

    OFF = "off", _("Not asked")
    RECORD = "record", _("Record the WeChat openid")
    ONCE = "once", _("One answer per WeChat user")


class Survey(models.Model):
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    slug = models.SlugField(
        _("slug"), max_length=64, unique=True, validators=[MinLengthValidator(3)]
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SurveyKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    # Respondent pages show one question at a time (a tap on a scale moves on) instead of
    # the pages display logic makes.
    one_question_per_page = models.BooleanField(_("one question per page"), default=False)
    # With a WeChat official account configured (surveys/channels/wechat/): the openid of
    # whoever answers in WeChat is stored on the response; "once" refuses a second answer.
    wechat_identity = models.CharField(
        _("WeChat identity"), max_length=8, choices=WechatIdentity.choices,
        default=WechatIdentity.OFF,
    )  # fmt: skip
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    current_version = models.ForeignKey(
        "SurveyVersion",
        verbose_name=_("current version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return self.title

    def title_in(self, language: str) -> str:
        return self.title_en if language == "en" and self.title_en else self.title


class SurveyVersion(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    intro = models.TextField(_("introduction"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    thank_you = models.TextField(_("thank-you text"), blank=True)
    thank_you_en = models.TextField(_("thank-you text (English)"), blank=True)
    # Privacy notice the respondent must accept before answering, when set.
    consent_text = models.TextField(_("consent text"), blank=True)
    consent_text_en = models.TextField(_("consent text (English)"), blank=True)
    # The recorded, immutable copies of the texts above (set when the survey is published or
    # changed while live); a response points at the one its respondent accepted.
    # RESTRICT, not PROTECT: deleting an unanswered survey deletes its versions and their
    # texts in one cascade; a text cannot be deleted on its own.
    consent = models.ForeignKey(
        "surveys.ConsentText", null=True, blank=True, on_delete=models.RESTRICT, related_name="+"
    )
    consent_en = models.ForeignKey(
        "surveys.ConsentText", null=True, blank=True, on_delete=models.RESTRICT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["survey", "number"]
        verbose_name = _("survey version")
        verbose_name_plural = _("survey versions")
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="survey_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.survey} v{self.number}"


class QuestionType(models.TextChoices):
    NPS = "nps", _("NPS 0–10")
    CSAT = "csat", _("CSAT 1–5")
    CES = "ces", _("CES 1–7")
    RATING = "rating", _("Star rating 1–5")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    DROPDOWN = "dropdown", _("Dropdown")
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    CONSENT = "consent", _("Consent checkbox")
    MATRIX = "matrix", _("Matrix (rows on a 1–5 scale)")
    RANKING = "ranking", _("Ranking")
    DATE = "date", _("Date")
    SLIDER = "slider", _("Slider")
    REGION = "region", _("Region (province / city / district)")
    IMAGE_SINGLE = "image_single", _("Image choice (one)")
    IMAGE_MULTIPLE = "image_multi", _("Image choice (several)")
    FILE = "file", _("File upload")
    HIDDEN = "hidden", _("Hidden field (from the link)")


class ScaleStyle(models.TextChoices):
    NUMBERS = "numbers", _("Numbers")
    FACES = "faces", _("Faces (1–5 scales)")


class OptionOrder(models.TextChoices):
    FIXED = "fixed", _("Fixed")
    RANDOM = "random", _("Random")


class Question(models.Model):
    """One question of one version. `key` is stable across versions, so answers can be counted
    together; `show_if` holds display logic: {"question": key, "op": "lte", "value": 6}."""

    version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(_("key"), max_length=40)
    position = models.PositiveIntegerField(_("position"), default=0)
    type = models.CharField(_("type"), max_length=12, choices=QuestionType.choices)
    required = models.BooleanField(_("required"), default=False)
    text = models.CharField(pgettext_lazy("question", "text"), max_length=500)
    text_en = models.CharField(_("text (English)"), max_length=500, blank=True)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    help_text_en = models.CharField(_("help text (English)"), max_length=500, blank=True)
    options = models.JSONField(_("options"), default=list, blank=True)
    allow_other = models.BooleanField(_("allow “other, please say”"), default=False)
    option_order = models.CharField(
        _("option order"), max_length=6, choices=OptionOrder.choices, default=OptionOrder.FIXED
    )
    show_if = models.JSONField(_("display logic"), null=True, blank=True)
    # Skip logic after this question: [{"when": condition or None, "action": "skip" | "end",
    # "to": key}] (surveys.design.logic); the first rule that holds is followed.
    jumps = models.JSONField(_("skip logic"), default=list, blank=True)
    max_length = models.PositiveIntegerField(_("maximum length"), default=2000)
    # How a 1–5 scale (CSAT, star rating) is drawn; faces are the same answers 1–5.
    scale_style = models.CharField(
        _("scale style"), max_length=8, choices=ScaleStyle.choices, default=ScaleStyle.NUMBERS
    )
    # Settings of the types that need more than options (surveys.questions.config):
    # a slider's range and end labels, a region's levels, a file upload's size and kinds.
    config = models.JSONField(_("type settings"), default=dict, blank=True)

    class Meta:
        ordering = ["version", "position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="question_key_unique"),
        ]

    def __str__(self) -> str:
        return self.text
