"""Responses and answers. A response is stored as a draft while the customer answers, then
completed once; metric scores are copied onto the response row for fast aggregation."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from surveys.models.design import Question, Survey, SurveyVersion
from surveys.models.directory import Customer
from surveys.scoring.rules import nps_group


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    LINK = "link", _("Link")
    QR = "qr", _("QR code")
    WECHAT = "wechat", _("WeChat")
    SMS = "sms", _("SMS")
    API = "api", _("App / API")
    IN_PAGE = "in_page", _("In-page survey")


class ResponseStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", pgettext_lazy("response", "In progress")
    COMPLETED = "completed", _("Completed")


class Response(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT, related_name="responses")
    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )
    invitation = models.OneToOneField(
        "surveys.Invitation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="response",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    store = models.CharField(_("store"), max_length=64, blank=True, db_index=True)
    source = models.JSONField(_("source tags"), default=dict, blank=True)
    # Who answered in WeChat (OAuth snsapi_base), when the survey asks for it.
    wechat_openid = models.CharField(
        _("WeChat openid"), max_length=64, blank=True, default="", db_default=""
    )
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ResponseStatus.choices,
        default=ResponseStatus.IN_PROGRESS,
    )
    # Identifies a respondent's draft (cookie or invitation) so leaving and coming back resumes.
    respondent_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Sent with the final submit; a repeated submit of the same form is recognised by it.
    submission_id = models.UUIDField(null=True, blank=True, unique=True)
    consent_version = models.PositiveIntegerField(_("consent version"), null=True, blank=True)
    # The exact text accepted (in the language shown) and when.
    consent_text = models.ForeignKey(
        "surveys.ConsentText",
        verbose_name=_("consent text accepted"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responses",
    )
    consented_at = models.DateTimeField(_("consented at"), null=True, blank=True)
    # Set when retention or erasure removed what identified the respondent.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    # When listeners of response_submitted were told (in a worker); NULL = not yet, and the
    # sweeper announces it again: a broker outage delays the analysis, never loses it.
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True)
    # A listener failed: tried this often, next try not before announce_retry_at (exponential
    # backoff); past the limit announce_failed_at is set and an Admin re-drives it.
    # (Database defaults too: the public submit's single INSERT names only its own columns.)
    announce_attempts = models.PositiveSmallIntegerField(
        _("announce attempts"), default=0, db_default=0
    )
    announce_retry_at = models.DateTimeField(_("next announce attempt"), null=True, blank=True)
    announce_failed_at = models.DateTimeField(_("announcing failed at"), null=True, blank=True)
    announce_error = models.TextField(_("announce error"), blank=True, default="", db_default="")
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    nps_score = models.PositiveSmallIntegerField(_("NPS score"), null=True, blank=True)
    csat_score = models.PositiveSmallIntegerField(_("CSAT score"), null=True, blank=True)
    ces_score = models.PositiveSmallIntegerField(_("CES score"), null=True, blank=True)
    # A keyed hash of the respondent's device id (the `sh_device` cookie of the respondent
    # pages, or `device_id` of the in-page script): responses sharing one within a survey
    # are flagged as duplicates in the results. Never the raw id.
    device_key = models.CharField(
        _("device key"), max_length=64, blank=True, default="", db_default=""
    )

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [
            models.Index(fields=["survey", "status", "completed_at"], name="response_survey_done"),
            models.Index(
                fields=["survey", "device_key"],
                condition=~Q(device_key=""),
                name="response_survey_device",
            ),
            models.Index(fields=["status", "completed_at"], name="response_done"),
            models.Index(fields=["customer", "completed_at"], name="response_customer"),
            # Each customer's latest NPS answer (the dashboard's value × satisfaction matrix)
            # by an index-only scan in order instead of sorting a million rows.
            models.Index(
                "customer",
                models.F("completed_at").desc(),
                models.F("id").desc(),
                "nps_score",
                condition=Q(status="completed", nps_score__isnull=False),
                name="response_customer_latest_nps",
            ),
            models.Index(
                fields=["completed_at"],
                condition=Q(status="completed", announced_at__isnull=True),
                name="response_unannounced",
            ),
            models.Index(
                fields=["survey", "wechat_openid"],
                condition=~Q(wechat_openid=""),
                name="response_wechat_openid",
            ),
            # Retention: the nightly run looks for old responses not anonymised yet.
            models.Index(
                fields=["started_at"],
                condition=Q(anonymised_at__isnull=True),
                name="response_not_anonymised",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} #{self.pk}"

    @property
    def nps_group(self) -> str | None:
        """ "promoter", "passive" or "detractor" (surveys.scoring.rules); None without a score."""
        return None if self.nps_score is None else nps_group(self.nps_score).value


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    question_key = models.SlugField(max_length=40)
    number = models.SmallIntegerField(_("number"), null=True, blank=True)
    text = models.TextField(pgettext_lazy("answer", "text"), blank=True)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    other_text = models.CharField(_("other"), max_length=500, blank=True)

    class Meta:
        ordering = ["response", "question__position"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_unique"),
            models.CheckConstraint(
                # Scales are 0–10; a slider's range is checked per question and kept within
                # ±10000 (surveys.questions.config.SLIDER_LIMIT).
                condition=Q(number__isnull=True) | Q(number__gte=-10000, number__lte=10000),
                name="answer_number_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_key}: {self.display()}"

    def display(self) -> str:
        if self.number is not None:
            return str(self.number)
        parts = [*self.choices, self.other_text] if self.choices else [self.text]
        return ", ".join(p for p in parts if p)

    def display_label(self) -> str:
        """What a person reads: chosen options by their label in the active language (the
        stored values are codes), "other" by what was typed."""
        kind = self.question.type
        if kind in ("region", "hidden"):  # the names of the region, the link's value
            return self.text
        if kind == "file":  # the uploaded file's name (its token is stored)
            name = self.response.files.filter(token=self.text).values_list("name", flat=True)
            return name.first() or ""
        if self.number is not None or not self.choices:
            return self.display()
        english = (get_language() or "").startswith("en")
        labels = {
            str(o.get("value")): str((english and o.get("label_en")) or o.get("label") or "")
            for o in self.question.options or ()
            if isinstance(o, dict)
        }
        if self.question.type == "consent":
            labels.setdefault("yes", str(_("Agreed")))
        shown = [labels.get(str(c)) or str(c) for c in self.choices if c != "__other__"]
        return "、".join([*shown, self.other_text] if self.other_text else shown)
