"""Distributions (who gets invited to which survey, how) and personal invitations."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from surveys.models.design import Survey
from surveys.models.directory import Customer


class DistributionChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    LINK = "link", _("Link")
    SMS = "sms", _("SMS")


class DistributionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    BUILDING = "building", _("Building the audience")
    READY = "ready", _("Audience ready")
    SCHEDULED = "scheduled", _("Scheduled")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")


class Distribution(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="distributions")
    name = models.CharField(_("name"), max_length=200, blank=True)
    channel = models.CharField(
        _("channel"), max_length=10, choices=DistributionChannel.choices, default="email"
    )
    # Filters the audience is built from, e.g. {"tags": ["VIP"], "region": ["上海"]}.
    audience = models.JSONField(_("audience"), default=dict, blank=True)
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    reminder_after_days = models.PositiveSmallIntegerField(
        _("remind after days"), null=True, blank=True
    )
    max_reminders = models.PositiveSmallIntegerField(_("maximum reminders"), default=0)
    # A follow-up of a contact the customer started (e.g. "was your case solved?") is not
    # marketing: the contact-frequency cap does not apply. Unsubscribes and consent still do.
    follows_up_contact = models.BooleanField(
        _("follows up the customer's own contact"), default=False
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DistributionStatus.choices,
        default=DistributionStatus.DRAFT,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    # The staff's own invitation email (piped per customer; empty: the standard wording).
    email_subject = models.CharField(_("email subject"), max_length=200, blank=True)
    email_body = models.TextField(_("email body"), max_length=5000, blank=True)
    # Built by a task (surveys.build_distribution_audience); sending follows when requested.
    send_requested = models.BooleanField(_("send when the audience is built"), default=False)
    audience_built_at = models.DateTimeField(_("audience built at"), null=True, blank=True)
    status_note = models.CharField(_("status note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")

    def __str__(self) -> str:
        return self.name or f"{self.survey} · {self.get_channel_display()}"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    BOUNCED = "bounced", _("Bounced")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")


class SkipReason(models.TextChoices):
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
    FREQUENCY_CAP = "frequency_cap", _("Contacted recently")
    NO_EMAIL = "no_email", _("No email address")
    NO_CONSENT = "no_consent", _("No consent")
    NO_PHONE = "no_phone", _("No mobile number")


class SmsDelivery(models.TextChoices):
    """What the SMS provider said of one message (surveys/channels/sms/)."""

    SUBMITTED = "submitted", _("Handed to the SMS provider")
    DELIVERED = "delivered", _("Delivered to the phone")
    FAILED = "failed", _("Not delivered")


class Invitation(models.Model):
    """One customer's personal, one-time link. Only a hash of the token is stored; the token
    itself is derived from `token_seed` with the secret key, so a database copy alone cannot
    open anyone's survey, and a retried send mails the same link."""

    distribution = models.ForeignKey(
        Distribution, on_delete=models.CASCADE, related_name="invitations"
    )
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="invitations")
    token_seed = models.CharField(max_length=64, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=InvitationStatus.choices,
        default=InvitationStatus.PENDING,
    )
    skip_reason = models.CharField(
        _("skip reason"), max_length=16, choices=SkipReason.choices, blank=True
    )
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    bounced_at = models.DateTimeField(_("bounced at"), null=True, blank=True)
    opened_at = models.DateTimeField(
        pgettext_lazy("invitation", "opened at"), null=True, blank=True
    )
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    # SMS invitations: SHA-256 of the short code of /r/<code>/ (the code itself is derived
    # from token_seed with the secret key, like the token), the provider's message id, and
    # what its delivery receipt said.
    short_code_hash = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )
    provider_message_id = models.CharField(
        _("provider message id"), max_length=64, blank=True, db_index=True
    )
    delivery = models.CharField(
        _("delivery"), max_length=10, choices=SmsDelivery.choices, blank=True
    )
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["distribution", "id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["distribution", "customer"], name="invitation_once_per_distribution"
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "sent_at"], name="invitation_customer_sent"),
            models.Index(fields=["distribution", "status"], name="invitation_status"),
        ]

    def __str__(self) -> str:
        return f"{self.distribution} → {self.customer}"
