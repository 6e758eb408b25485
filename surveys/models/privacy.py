"""Privacy (PIPL / GDPR): the consent texts respondents accepted, the retention setting, the
suppression list that keeps erased people from being contacted again, and the audit log of
staff reading or exporting personal data.

Consent texts and audit entries are append-only: once written they are never changed.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ConsentText(models.Model):
    """The exact privacy notice shown in one language, numbered per survey. A new number is
    created whenever a published survey's consent text changes (in either language)."""

    survey = models.ForeignKey(
        "surveys.Survey",
        verbose_name=_("survey"),
        on_delete=models.CASCADE,
        related_name="consent_texts",
    )
    number = models.PositiveIntegerField(_("consent version"))
    language = models.CharField(_("language"), max_length=10)
    text = models.TextField(pgettext_lazy("consent", "text"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["survey", "number", "language"]
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "number", "language"], name="consent_text_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} v{self.number} {self.language}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("Consent texts are immutable; publish a new version instead.")
        self.sha256 = self.digest(self.text)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Consent texts are immutable.")

    @staticmethod
    def digest(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Three years unless an Admin sets otherwise (migration 0008 writes it for new installs).
DEFAULT_RETENTION_DAYS = 1095


class PrivacySettings(models.Model):
    """Singleton (pk=1) an Admin edits in the admin."""

    retention_days = models.PositiveIntegerField(
        _("keep responses and feedback for (days)"),
        null=True,
        blank=True,
        default=DEFAULT_RETENTION_DAYS,
        help_text=_(
            "Responses and feedback older than this are anonymised every night: scores stay "
            "for the metrics, names and free text go. 1095 days (three years) by default; "
            "empty or 0 keeps them forever."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("privacy settings")
        verbose_name_plural = _("privacy settings")

    def __str__(self) -> str:
        return str(_("Privacy settings"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> "PrivacySettings":
        return cls.objects.get_or_create(pk=1)[0]


class ContactSuppression(models.Model):
    """A keyed hash of an erased person's email or phone: imports and distributions that meet
    it again mark the contact unsubscribed, so erasure cannot be undone by a re-import. The
    address itself is not kept."""

    KIND_CHOICES = [("email", _("Email")), ("phone", _("Phone"))]

    kind = models.CharField(_("kind"), max_length=5, choices=KIND_CHOICES)
    digest = models.CharField(_("keyed hash"), max_length=64)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("contact suppression")
        verbose_name_plural = _("contact suppressions")
        constraints = [
            models.UniqueConstraint(fields=["kind", "digest"], name="contact_suppression_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.digest[:12]}…"


class PersonalDataAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    LIST = "list", _("Listed with personal data")
    EXPORT = "export", _("Exported")
    ERASE = "erase", _("Erased")
    ANONYMISE = "anonymise", _("Anonymised by retention")


class AccessChannel(models.TextChoices):
    API = "api", _("API")
    ADMIN = "admin", _("Admin site")
    PAGE = "page", _("Staff page")
    TASK = "task", _("Scheduled task")
    SHELL = "shell", _("Command line")


class PersonalDataAccess(models.Model):
    """Append-only: who read, exported or erased whose personal data, when, from where."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text too, so the entry stays meaningful after the account is deleted.
    username = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=PersonalDataAction.choices)
    channel = models.CharField(_("channel"), max_length=6, choices=AccessChannel.choices)
    # What was read: "customer", "response", "feedback", "case", "customers" (a list export)…
    resource = models.CharField(_("resource"), max_length=32)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    # The person concerned, when there is one (an id, never the name: the log outlives erasure).
    customer_id = models.BigIntegerField(_("customer id"), null=True, blank=True)
    count = models.PositiveIntegerField(_("records"), default=1)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    path = models.CharField(_("path"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data access log")
        indexes = [
            models.Index(fields=["customer_id", "created_at"], name="pd_access_customer"),
            models.Index(fields=["user", "created_at"], name="pd_access_user"),
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.action} {self.resource} {self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("The personal data access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The personal data access log is append-only.")
