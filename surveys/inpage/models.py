"""In-page surveys: one scale question shown inside a company's own site or app.

The site includes our script with the in-page survey's public key; the script asks our config
endpoint whether to show, and sends the answer through the public JSON submit.
`InPageContact` remembers, per device, when it last answered or closed the question, so the
re-contact limit holds on the server too (not only in the browser's localStorage).
"""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from surveys.models.design import Survey


def new_site_key() -> str:
    return secrets.token_urlsafe(16)


class Trigger(models.TextChoices):
    EVENT = "event", _("When the site reports an event")
    PAGE_VIEWS = "page_views", _("After a number of page views")


class InPageSurvey(models.Model):
    name = models.CharField(_("name"), max_length=100)
    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="in_page"
    )
    # Public: it is written into the site's HTML. It names this configuration, nothing more.
    key = models.CharField(_("site key"), max_length=32, unique=True, default=new_site_key)
    enabled = models.BooleanField(_("enabled"), default=True)
    # One origin a line (https://shop.example.cn); only these may load the config and submit.
    allowed_origins = models.TextField(_("allowed origins"))
    trigger = models.CharField(
        _("trigger"), max_length=10, choices=Trigger.choices, default=Trigger.EVENT
    )
    event_name = models.CharField(_("event name"), max_length=64, blank=True)
    page_views = models.PositiveSmallIntegerField(_("page views"), default=3)
    # Glob on the page's path: /checkout/* ; empty = every page.
    url_pattern = models.CharField(_("page path pattern"), max_length=200, blank=True)
    # One rule a line: attribute=value, or attribute=* for "the site passed this attribute".
    attribute_rules = models.TextField(_("customer attributes"), blank=True)
    recontact_days = models.PositiveSmallIntegerField(_("re-contact after (days)"), default=30)
    follow_up = models.BooleanField(_("ask the follow-up text question"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        app_label = "surveys"
        verbose_name = _("in-page survey")
        verbose_name_plural = _("in-page surveys")

    def __str__(self) -> str:
        return self.name

    @property
    def origins(self) -> list[str]:
        return [line.strip().rstrip("/") for line in self.allowed_origins.split() if line.strip()]


class ContactOutcome(models.TextChoices):
    ANSWERED = "answered", pgettext_lazy("in-page survey", "Answered")
    DISMISSED = "dismissed", pgettext_lazy("in-page survey", "Closed without answering")


class InPageContact(models.Model):
    """The last time one device answered or closed one in-page survey."""

    in_page = models.ForeignKey(InPageSurvey, on_delete=models.CASCADE, related_name="contacts")
    device_id = models.CharField(_("device id"), max_length=64)
    outcome = models.CharField(_("outcome"), max_length=10, choices=ContactOutcome.choices)
    at = models.DateTimeField(_("last contact"))

    class Meta:
        app_label = "surveys"
        verbose_name = _("in-page survey contact")
        verbose_name_plural = _("in-page survey contacts")
        constraints = [
            models.UniqueConstraint(fields=["in_page", "device_id"], name="inpage_contact_device")
        ]

    def __str__(self) -> str:
        return f"{self.in_page} · {self.device_id}"
