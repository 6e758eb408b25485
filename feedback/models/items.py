"""Feedback items (free text from answers and other channels), their analysis and topics.

An item holds the raw text and the latest analysis of it, stamped with the analysis
version, so a better model can re-analyse everything later without creating anything twice.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from feedback.nlp.labels import confidence


class FeedbackSource(models.TextChoices):
    SURVEY = "survey", _("Survey answer")
    API = "api", _("API")
    IMPORT = "import", _("Import")
    ECOMMERCE = "ecommerce", _("E-commerce review")
    CALLCENTRE = "callcentre", _("Call-centre note")
    WECHAT = "wechat", _("WeChat message")
    EMAIL = "email", pgettext_lazy("feedback channel", "Email")
    OTHER = "other", _("Other")


class SentimentLabel(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutral")
    NEGATIVE = "negative", _("Negative")


class AnalysisStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for analysis")
    DONE = "done", _("Analysed")
    # The text cannot be analysed (empty, garbled…): `analysis_error` says why.
    SKIPPED = "skipped", _("Cannot be analysed")
    # Analysis raised an unexpected error: `analysis_error` holds it.
    FAILED = "failed", _("Analysis failed")


class FeedbackItem(models.Model):
    text = models.TextField(_("text"))
    source = models.CharField(
        _("source"), max_length=16, choices=FeedbackSource.choices, default=FeedbackSource.API
    )
    # Identifies the item in the system it came from (review id, ticket number), so that
    # importing or posting the same item twice does not duplicate it.
    external_ref = models.CharField(_("external reference"), max_length=100, blank=True)
    customer = models.ForeignKey(
        "surveys.Customer",
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_items",
    )
    survey = models.ForeignKey(
        "surveys.Survey",
        verbose_name=_("survey"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_items",
    )
    response = models.ForeignKey(
        "surveys.Response",
        verbose_name=_("response"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="feedback_items",
    )
    # One item per free-text answer: the signal arriving twice creates nothing twice.
    answer = models.OneToOneField(
        "surveys.Answer",
        verbose_name=_("answer"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="feedback_item",
    )
    question_key = models.CharField(pgettext_lazy("survey", "question"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    text_normalized = models.TextField(_("normalised text"), blank=True)
    sentiment_score = models.FloatField(_("sentiment score"), null=True, blank=True)
    sentiment_label = models.CharField(
        _("sentiment"), max_length=8, choices=SentimentLabel.choices, blank=True
    )
    # A staff member set the label: re-analysis keeps it (see SentimentCorrection).
    sentiment_corrected = models.BooleanField(_("sentiment corrected by staff"), default=False)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    analysis_version = models.CharField(_("analysis version"), max_length=64, blank=True)
    analysed_at = models.DateTimeField(_("analysed at"), null=True, blank=True)
    analysis_status = models.CharField(
        _("analysis status"),
        max_length=8,
        choices=AnalysisStatus.choices,
        default=AnalysisStatus.PENDING,
    )
    analysis_error = models.CharField(_("why not analysed"), max_length=200, blank=True)
    # Set when a task for this item was handed to the broker; the sweeper re-sends items
    # that are still pending with no or an old value here.
    enqueued_at = models.DateTimeField(
        pgettext_lazy("analysis", "queued at"), null=True, blank=True
    )
    # The response's 0–10 answer, copied when the item is made (a completed response never
    # changes): topic drivers count NPS per topic from the items alone, without joining a
    # million responses.
    nps_score = models.PositiveSmallIntegerField(
        _("NPS score of the response"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("feedback item")
        verbose_name_plural = _("feedback items")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_ref"],
                condition=~Q(external_ref=""),
                name="feedback_item_external_ref_unique",
            ),
            models.CheckConstraint(
                condition=Q(sentiment_score__isnull=True)
                | Q(sentiment_score__gte=0, sentiment_score__lte=1),
                name="feedback_item_score_range",
            ),
        ]
        indexes = [
            models.Index(fields=["analysis_status", "enqueued_at"], name="feedback_sweep"),
            models.Index(fields=["sentiment_label", "created_at"], name="feedback_sentiment"),
            models.Index(fields=["created_at"], name="feedback_created"),
            models.Index(fields=["survey", "created_at"], name="feedback_survey"),
            models.Index(fields=["source", "created_at"], name="feedback_source"),
            models.Index(fields=["customer", "created_at"], name="feedback_customer"),
            models.Index(fields=["analysis_version"], name="feedback_version"),
        ]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def sentiment_confidence(self) -> float | None:
        """How sure the model is of the label shown, 0–1 (``feedback.nlp.labels``); None
        without a score, and for a label set by staff (no model confidence applies)."""
        if self.sentiment_corrected or not self.sentiment_label:
            return None
        return confidence(self.sentiment_score, self.sentiment_label)

    @property
    def sentiment_confidence_percent(self) -> int | None:
        """``sentiment_confidence`` as a whole percentage, for display ("负面 · 置信度 92%")."""
        value = self.sentiment_confidence
        return None if value is None else round(value * 100)


class FeedbackAspect(models.Model):
    """One aspect (price, delivery…) a feedback item talks about, with that clause's sentiment."""

    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="aspects")
    aspect = models.CharField(_("aspect"), max_length=32)
    score = models.FloatField(_("score"))
    label = models.CharField(_("sentiment"), max_length=8, choices=SentimentLabel.choices)
    clause = models.CharField(_("clause"), max_length=300, blank=True)

    class Meta:
        ordering = ["item", "id"]
        verbose_name = _("feedback aspect")
        verbose_name_plural = _("feedback aspects")
        indexes = [models.Index(fields=["aspect", "label"], name="feedback_aspect")]

    def __str__(self) -> str:
        return f"{self.aspect}: {self.label}"


class Topic(models.Model):
    """A topic discovered across the corpus. `key` is the stable id matched across runs;
    `name` starts as the top keywords and, once a staff member renames it, stays."""

    key = models.CharField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_edited = models.BooleanField(_("renamed by staff"), default=False)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    # Found by the latest discovery run; inactive topics keep their older assignments.
    is_active = models.BooleanField(_("active"), default=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_topics",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name


class FeedbackTopic(models.Model):
    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="topic_links")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="item_links")
    weight = models.FloatField(_("weight"))

    class Meta:
        verbose_name = _("feedback topic")
        verbose_name_plural = _("feedback topics")
        constraints = [
            models.UniqueConstraint(fields=["item", "topic"], name="feedback_topic_unique"),
        ]
        indexes = [models.Index(fields=["topic", "item"], name="feedback_topic_items")]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.topic_id}"


class SentimentCorrection(models.Model):
    """A staff member's sentiment label for an item: shown instead of the model's, and kept
    as training data for the next model."""

    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="corrections")
    label = models.CharField(_("corrected sentiment"), max_length=8, choices=SentimentLabel.choices)
    previous_label = models.CharField(_("model's sentiment"), max_length=8, blank=True)
    previous_score = models.FloatField(_("model's score"), null=True, blank=True)
    text = models.TextField(_("text"))
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("corrected by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    corrected_at = models.DateTimeField(_("corrected at"), default=timezone.now)

    class Meta:
        ordering = ["-corrected_at", "-id"]
        verbose_name = _("sentiment correction")
        verbose_name_plural = _("sentiment corrections")

    def __str__(self) -> str:
        return f"{self.item_id}: {self.label}"


class CorpusIdf(models.Model):
    """IDF of keyword tokens learned from our own feedback (refreshed with topic discovery)."""

    table = models.JSONField(_("IDF table"))
    n_docs = models.PositiveIntegerField(_("documents"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("corpus IDF")
        verbose_name_plural = _("corpus IDF tables")

    def __str__(self) -> str:
        return f"IDF {self.created_at:%Y-%m-%d} ({self.n_docs})"
