"""Alerts (预警): rules an admin sets on indicators and topics, the group robots they post to,
every firing and every delivery attempt of it (never lost silently: a delivery that keeps
failing ends as "failed" and is shown)."""

from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from analytics.models.evaluations import INDICATOR_CHOICES

__all__ = [
    "Alert",
    "AlertDelivery",
    "AlertRobot",
    "AlertRule",
    "AlertRuleKind",
    "AlertStatus",
    "AlertWindow",
    "DeliveryStatus",
    "RobotKind",
]


class RobotKind(models.TextChoices):
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk group robot")
    FEISHU = "feishu", _("Feishu / Lark group robot")


class AlertRuleKind(models.TextChoices):
    NPS_DROP = "nps_drop", _("NPS drops significantly")
    CSAT_DROP = "csat_drop", _("CSAT drops significantly")
    BELOW_TARGET = "below_target", _("An indicator misses its target")
    DETRACTOR_SHARE = "detractor_share", _("Share of detractors above a threshold")
    TOPIC_SURGE = "topic_surge", _("Negative mentions of a topic surge")


class AlertWindow(models.TextChoices):
    WEEK = "week", pgettext_lazy("alert window", "Week over week")
    MONTH = "month", pgettext_lazy("alert window", "Month over month")
    QUARTER = "quarter", pgettext_lazy("alert window", "Quarter over quarter")


class AlertRobot(models.Model):
    """A WeCom / DingTalk / Feishu group robot (its webhook address and signing secret)."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("platform"), max_length=16, choices=RobotKind.choices)
    # Plain text + a URL check (a URLField's form warns about its default scheme in Django 6).
    url = models.CharField(
        _("webhook address"), max_length=500, validators=[URLValidator(schemes=["http", "https"])]
    )
    # DingTalk ("SEC…") and Feishu sign their requests with it; empty = no signature.
    secret = models.CharField(_("signing secret"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("alert robot")
        verbose_name_plural = _("alert robots")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    def clean(self):
        errors = {}
        if self.url and not self.url.lower().startswith(("https://", "http://")):
            errors["url"] = _("A robot's webhook address starts with https://.")
        if self.kind == RobotKind.DINGTALK and self.secret and not self.secret.startswith("SEC"):
            errors["secret"] = _(
                "A DingTalk signing secret starts with “SEC”: copy it whole "
                "from the robot's security settings."
            )
        if errors:
            raise ValidationError(errors)


class AlertRule(models.Model):
    """When to raise an alert, and to whom. `threshold` means, by kind: the smallest drop in
    points (NPS, CSAT), the detractor share in % above which to alert, or how many times
    last period's negative mentions a topic must reach; unused for "below target"."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=AlertRuleKind.choices)
    window = models.CharField(
        _("compared period"), max_length=8, choices=AlertWindow.choices, default=AlertWindow.WEEK
    )
    indicator = models.CharField(
        _("indicator"), max_length=32, choices=INDICATOR_CHOICES, blank=True
    )
    topic = models.ForeignKey(
        "feedback.Topic", verbose_name=_("topic"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="+",
        help_text=_("Empty: every topic."),
    )  # fmt: skip
    threshold = models.FloatField(_("threshold"), null=True, blank=True)
    significance = models.FloatField(
        _("significance level"), default=0.05,
        help_text=_("A drop or surge counts only when its p-value is below this (e.g. 0.05)."),
    )  # fmt: skip
    min_count = models.PositiveIntegerField(
        _("minimum sample"), default=30,
        help_text=_("Answers (or negative mentions) the current period needs before the rule "
                    "is checked."),
    )  # fmt: skip
    email_managers = models.BooleanField(_("email the managers"), default=True)
    extra_emails = models.TextField(
        _("more email addresses"), blank=True, help_text=_("One per line or comma-separated.")
    )
    robots = models.ManyToManyField(
        AlertRobot, verbose_name=_("group robots"), blank=True, related_name="rules"
    )
    is_active = models.BooleanField(_("active"), default=True)
    muted_until = models.DateField(
        _("muted until"), null=True, blank=True,
        help_text=_("No alert fires up to and including this day."),
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")

    def __str__(self) -> str:
        return self.name

    def is_muted(self, day) -> bool:
        return self.muted_until is not None and day <= self.muted_until

    def email_list(self) -> list[str]:
        parts = self.extra_emails.replace(",", "\n").replace("，", "\n").replace(";", "\n")
        return [p.strip() for p in parts.splitlines() if p.strip()]

    def clean(self):
        """An impossible threshold, window or address is refused with what was expected."""
        errors: dict[str, str] = {}
        t = self.threshold
        limits = {
            AlertRuleKind.NPS_DROP: (0, 200, _("NPS can drop by more than 0 and at most 200 "
                                              "points (from 100 to −100).")),
            AlertRuleKind.CSAT_DROP: (0, 100, _("CSAT can drop by more than 0 and at most 100 "
                                               "percentage points.")),
            AlertRuleKind.DETRACTOR_SHARE: (0, 100, _("A share of detractors lies between 0 "
                                                     "and 100%; an alert above 100% could "
                                                     "never fire.")),
            AlertRuleKind.TOPIC_SURGE: (1, 1000, _("A surge is a multiple of last period's "
                                                  "negative mentions: more than 1 (e.g. 2 = "
                                                  "doubled), at most 1000.")),
        }  # fmt: skip
        if self.kind in limits:
            low, high, message = limits[self.kind]
            if t is None:
                errors["threshold"] = (
                    _("An alert rule of this kind needs a threshold.") + " " + message
                )
            elif t != t or not (
                (0 <= t < 100) if self.kind == AlertRuleKind.DETRACTOR_SHARE else (low < t <= high)
            ):
                errors["threshold"] = _("%(value)s is impossible.") % {"value": t} + " " + message
        elif self.kind == AlertRuleKind.BELOW_TARGET:
            self.threshold = None
            if self.window == AlertWindow.WEEK:
                errors["window"] = _("Targets are evaluated per month or quarter: choose one.")
        if not (0 < self.significance <= 0.5):
            errors["significance"] = _(
                "%(value)s is not a significance level: expected a number above 0 and at most "
                "0.5, such as 0.05."
            ) % {"value": self.significance}
        if self.indicator and self.kind != AlertRuleKind.BELOW_TARGET:
            self.indicator = ""
        if self.topic_id and self.kind != AlertRuleKind.TOPIC_SURGE:
            self.topic = None
        bad = []
        for address in self.email_list():
            try:
                validate_email(parseaddr(address)[1])
            except ValidationError:
                bad.append(address)
        if bad:
            errors["extra_emails"] = _("Not an email address: %(addresses)s.") % {
                "addresses": "、".join(bad[:5])
            }
        if errors:
            raise ValidationError(errors)


class AlertStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("alert", "Open")
    CLOSED = "closed", pgettext_lazy("alert", "Closed")


class Alert(models.Model):
    """One firing of a rule for one period (and topic or indicator): a rule fires once per
    `key`, so the hourly check never repeats itself."""

    rule = models.ForeignKey(
        AlertRule, verbose_name=_("rule"), on_delete=models.CASCADE, related_name="alerts"
    )
    key = models.CharField(_("occasion"), max_length=80)
    period_label = models.CharField(_("period"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    message = models.TextField(_("message"))
    details = models.JSONField(_("figures"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    fired_at = models.DateTimeField(_("fired at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-fired_at", "-id"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [models.UniqueConstraint(fields=["rule", "key"], name="alert_rule_key")]
        indexes = [models.Index(fields=["status", "fired_at"], name="alert_status")]

    def __str__(self) -> str:
        return self.title


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("delivery", "Waiting")
    RETRYING = "retrying", pgettext_lazy("delivery", "Retrying")
    SENT = "sent", pgettext_lazy("delivery", "Delivered")
    FAILED = "failed", pgettext_lazy("delivery", "Failed")


class AlertDelivery(models.Model):
    """Sending one alert to one robot, or by email to its recipients; retried with backoff."""

    alert = models.ForeignKey(
        Alert, verbose_name=_("alert"), on_delete=models.CASCADE, related_name="deliveries"
    )
    robot = models.ForeignKey(
        AlertRobot, verbose_name=_("robot"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="deliveries",
    )  # fmt: skip
    recipients = models.TextField(_("email recipients"), blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["alert", "id"]
        verbose_name = _("alert delivery")
        verbose_name_plural = _("alert deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="alert_delivery_due")]

    def __str__(self) -> str:
        return f"{self.alert_id} → {self.robot or _('email')}"

    @property
    def channel_label(self) -> str:
        return str(self.robot) if self.robot_id else str(pgettext_lazy("alert channel", "Email"))
