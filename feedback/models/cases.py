"""Triage cases for unhappy customers: the rules that open them, SLA policies, the case
itself, its notes, replies and append-only audit trail.

Imported at the end of feedback/models.py, so the models belong to the `feedback` app.
Written only by feedback/cases.py (and the SLA task through it).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from feedback.cases import sla
from feedback.cases.sla import NEAR_DUE_SHARE  # when a case is "near due"; re-exported

__all__ = [
    "NEAR_DUE_SHARE",
    "OPEN_CASE_STATUSES",
    "Case",
    "CaseEvent",
    "CaseNote",
    "CaseNoteKind",
    "CaseOutcome",
    "CasePriority",
    "CaseReply",
    "CaseReplyStatus",
    "CaseRule",
    "CaseRuleKind",
    "CaseStatus",
    "CaseTeam",
    "ResolutionReason",
    "SlaPolicy",
]


class CaseRuleKind(models.TextChoices):
    NPS_MAX = "nps_max", _("NPS score at most")
    CSAT_MAX = "csat_max", _("CSAT score at most")
    CES_MAX = "ces_max", _("CES score at most")
    SENTIMENT_BELOW = "sentiment_below", _("Sentiment score below")
    ESCALATION_WORDS = "escalation_words", _("Escalation words in the text")


class CasePriority(models.TextChoices):
    # Sorted as strings, P1 first: the queue orders by this column directly.
    P1 = "P1", _("P1 urgent")
    P2 = "P2", _("P2 high")
    P3 = "P3", _("P3 normal")


class CaseStatus(models.TextChoices):
    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING_ON_CUSTOMER = "waiting_on_customer", _("Waiting on customer")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


OPEN_CASE_STATUSES = (
    CaseStatus.NEW,
    CaseStatus.ASSIGNED,
    CaseStatus.IN_PROGRESS,
    CaseStatus.WAITING_ON_CUSTOMER,
)


class CaseOutcome(models.TextChoices):
    RECOVERED = "recovered", _("Recovered")
    NOT_RECOVERED = "not_recovered", _("Not recovered")


class CaseRule(models.Model):
    """A condition that opens a case; admins edit thresholds, words and priority bumps."""

    kind = models.CharField(_("kind"), max_length=20, choices=CaseRuleKind.choices)
    # Inclusive maximum for scores (NPS 0–10, CSAT 1–5, CES 1–7); exclusive bound for
    # sentiment (0–1, 1 = positive).
    threshold = models.FloatField(_("threshold"), null=True, blank=True)
    words = models.JSONField(_("words"), default=list, blank=True)
    priority_bump = models.PositiveSmallIntegerField(
        _("raise priority by"),
        default=0,
        help_text=_("0 keeps the priority, 1 raises P3 to P2, 2 raises P3 to P1."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("case rule")
        verbose_name_plural = _("case rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(priority_bump__lte=2), name="case_rule_priority_bump_range"
            ),
        ]

    def __str__(self) -> str:
        if self.kind == CaseRuleKind.ESCALATION_WORDS:
            return f"{self.get_kind_display()}: {', '.join(self.words)}"
        return f"{self.get_kind_display()} {self.threshold:g}" if self.threshold is not None else ""

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.kind == CaseRuleKind.ESCALATION_WORDS:
            if not isinstance(self.words, list) or not all(
                isinstance(w, str) and w.strip() for w in self.words
            ):
                raise ValidationError({"words": _("Give a list of non-empty words.")})
        elif self.threshold is None:
            raise ValidationError({"threshold": _("This kind of rule needs a threshold.")})


class SlaPolicy(models.Model):
    """Time to first response and to resolution for one priority."""

    priority = models.CharField(
        _("priority"), max_length=2, choices=CasePriority.choices, unique=True
    )
    first_response_within = models.DurationField(_("first response within"))
    resolution_within = models.DurationField(_("resolution within"))
    business_hours = models.BooleanField(
        _("count business hours only"),
        default=False,
        help_text=_("Working days 9:00–18:00 Asia/Shanghai; whole days count as working days."),
    )

    class Meta:
        ordering = ["priority"]
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")

    def __str__(self) -> str:
        return f"{self.priority}: {self.first_response_within} / {self.resolution_within}"


class ResolutionReason(models.Model):
    name = models.CharField(_("name"), max_length=64, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=64, blank=True)
    position = models.PositiveSmallIntegerField(pgettext_lazy("list order", "position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("resolution reason")
        verbose_name_plural = _("resolution reasons")

    def __str__(self) -> str:
        return self.name

    def name_in(self, language: str) -> str:
        return self.name_en if language.startswith("en") and self.name_en else self.name


class CaseTeam(models.Model):
    """A service team: its manager is told when a member's case goes past due."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_case_teams",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), blank=True, related_name="case_teams"
    )
    # The team's SLA calendar in business hours (feedback.cases.sla): by default Monday–Friday
    # less China's public holidays plus their 调休 working days.
    works_weekends = models.BooleanField(_("works weekends"), default=False)
    works_public_holidays = models.BooleanField(_("works public holidays"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("service team")
        verbose_name_plural = _("service teams")

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    """An unhappy customer to call back: opened by a rule, worked, resolved, closed."""

    customer = models.ForeignKey(
        "surveys.Customer",
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="cases",
    )
    response = models.ForeignKey(
        "surveys.Response",
        verbose_name=_("response"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="cases",
    )
    feedback_items = models.ManyToManyField(
        "feedback.FeedbackItem", verbose_name=_("feedback"), blank=True, related_name="cases"
    )
    # What opened it: [{"kind": "nps_max", "detail": "NPS 3"}, …]
    triggers = models.JSONField(_("opened because"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.NEW
    )
    priority = models.CharField(
        _("priority"), max_length=2, choices=CasePriority.choices, default=CasePriority.P3
    )
    value_tier = models.CharField(_("value tier"), max_length=32, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    team = models.ForeignKey(
        CaseTeam,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    created_at = models.DateTimeField(_("opened at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # When the SLA clock (re)started: opening, or the last reopen.
    sla_started_at = models.DateTimeField(_("SLA started at"), default=timezone.now)
    due_first_response_at = models.DateTimeField(_("first response due"), null=True, blank=True)
    due_at = models.DateTimeField(_("resolution due"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    resolution_reason = models.ForeignKey(
        ResolutionReason,
        verbose_name=_("resolution reason"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=CaseOutcome.choices, blank=True)
    # SLA notifications already sent in this SLA period, e.g. ["resolution:near"].
    sla_notified = models.JSONField(_("SLA notifications sent"), default=list, blank=True)
    resurvey_distribution = models.ForeignKey(
        "surveys.Distribution",
        verbose_name=_("re-survey"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resurvey_sent_at = models.DateTimeField(_("re-survey sent at"), null=True, blank=True)
    resurvey_response = models.ForeignKey(
        "surveys.Response",
        verbose_name=_("re-survey response"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resurvey_score = models.PositiveSmallIntegerField(_("re-survey CSAT"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "priority", "id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        permissions = [("reassign_case", _("Can assign cases to other people"))]
        constraints = [
            # One open case per customer and response (a response has one customer, so per
            # response): rules matching twice, the signal arriving twice or analysis
            # re-running add to the open case instead. Feedback from other channels has no
            # response: one open case per customer.
            models.UniqueConstraint(
                fields=["response"],
                condition=Q(status__in=OPEN_CASE_STATUSES) & Q(response__isnull=False),
                name="case_one_open_per_response",
            ),
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(status__in=OPEN_CASE_STATUSES)
                & Q(customer__isnull=False)
                & Q(response__isnull=True),
                name="case_one_open_per_customer_without_response",
            ),
            models.CheckConstraint(
                condition=Q(resurvey_score__isnull=True)
                | Q(resurvey_score__gte=1, resurvey_score__lte=5),
                name="case_resurvey_score_range",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at", "priority"], name="case_queue"),
            models.Index(fields=["assignee", "status", "due_at"], name="case_assignee"),
            models.Index(fields=["team", "status"], name="case_team"),
            models.Index(fields=["customer", "created_at"], name="case_customer"),
            models.Index(fields=["created_at"], name="case_created"),
            models.Index(fields=["resolved_at"], name="case_resolved"),
            models.Index(fields=["value_tier", "status"], name="case_value_tier"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CASE_STATUSES

    def is_overdue(self, now=None) -> bool:
        return self.is_open and sla.is_overdue(self.due_at, now or timezone.now())

    def sla_state(self, now=None) -> str:
        """ "overdue", "near" (at most NEAR_DUE_SHARE of the SLA window left) or ""."""
        if not self.is_open:
            return ""
        return sla.sla_state(self.due_at, self.sla_started_at, now or timezone.now())


class CaseNoteKind(models.TextChoices):
    NOTE = "note", _("Internal note")
    CALL = "call", _("Phone call")


class CaseNote(models.Model):
    """Internal: never sent to the customer."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(
        _("kind"), max_length=8, choices=CaseNoteKind.choices, default=CaseNoteKind.NOTE
    )
    text = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        indexes = [models.Index(fields=["case", "created_at"], name="case_note_case")]

    def __str__(self) -> str:
        return self.text[:40]


class CaseReplyStatus(models.TextChoices):
    PENDING = "pending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class CaseReply(models.Model):
    """An email to the customer from the case, as sent."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    to_email = models.EmailField(_("to"))
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    status = models.CharField(
        _("status"), max_length=8, choices=CaseReplyStatus.choices, default=CaseReplyStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("case reply")
        verbose_name_plural = _("case replies")
        indexes = [
            models.Index(fields=["case", "created_at"], name="case_reply_case"),
            models.Index(fields=["status", "created_at"], name="case_reply_status"),
        ]

    def __str__(self) -> str:
        return self.subject


class CaseEvent(models.Model):
    """Append-only audit trail: who did what, when, with the values before and after."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("what"), max_length=32)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        indexes = [models.Index(fields=["case", "created_at"], name="case_event_case")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("Case events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Case events are append-only.")
