"""The staff form for a new distribution: an audience builder (checkboxes in words for every
registered filter that has choices, never codes or JSON), the email's own subject and text,
send now / schedule / review first, and reminders."""

from typing import Any

from django import forms
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from surveys.channels.sms.providers import sms_configured
from surveys.customers.directory_filters import directory_filters
from surveys.distribution.audience import AudienceError, audience_clean, audience_filters
from surveys.distribution.email_fields import (
    MAX_BODY,
    MAX_SUBJECT,
    email_texts_clean,
    placeholders_help,
)
from surveys.models import Customer, DistributionChannel

# The builder's checkbox groups, in this order, for the filters some app registered.
CHOICE_FILTERS = (
    "rfm_segment", "lifecycle_stage", "value_tier", "churn_band", "nps_group",
    "purchase_category", "language",
)  # fmt: skip
TEXT_FILTERS = ("tags", "region")  # free words, comma-separated
CHOICES_SECONDS = 60
CHOSEN_SHOWN = 500  # customers chosen on another page (the churn warning list), by name
WHEN_CHOICES = [
    ("now", _("Send as soon as the audience is ready")),
    ("schedule", _("Schedule for a later time")),
    ("review", _("Build the audience first; I will send it from its page")),
]


def _split(text: str) -> list[str]:
    return [
        item.strip()
        for item in text.replace("，", ",").replace("、", ",").replace("\n", ",").split(",")
        if item.strip()
    ]


def filter_choices(key: str) -> list[tuple[str, Any]]:
    """[(value, label)…] of a registered audience filter: its own, else the directory's.

    Kept a minute in the cache: the live preview rebuilds the form at every change, and some
    choices (the purchase categories) come from a large table."""
    cache_key = f"distribution:audience-choices:{key}:{translation.get_language()}"
    choices = cache.get(cache_key)
    if choices is None:
        choices = _filter_choices(key)
        cache.set(cache_key, choices, CHOICES_SECONDS)
    return choices


def _filter_choices(key: str) -> list[tuple[str, Any]]:
    audience_filter = audience_filters().get(key)
    if audience_filter is None:
        return []
    if audience_filter.choices:
        return [(v, str(label)) for v, label in audience_filter.choices()]
    for directory_filter in directory_filters():
        if directory_filter.key == key:
            return [(v, str(label)) for v, label in directory_filter.choices()]
    return []


def channel_choices() -> list[tuple[str, Any]]:
    """Email and link always; SMS once a provider is configured on the server."""
    return [
        (value, label)
        for value, label in DistributionChannel.choices
        if value != DistributionChannel.SMS or sms_configured()
    ]


class DistributionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    channel = forms.ChoiceField(label=_("Channel"), initial="email")
    everyone = forms.BooleanField(label=_("Every customer in the directory"), required=False)
    tags = forms.CharField(
        label=_("Tags"), required=False,
        help_text=_("Comma-separated; customers with any of them, e.g. VIP, 老客户."),
    )  # fmt: skip
    region = forms.CharField(
        label=_("Regions"), required=False, help_text=_("Comma-separated, e.g. 上海, 北京.")
    )
    purchased_within_days = forms.IntegerField(
        label=_("Purchased within (days)"), required=False, min_value=1, max_value=3650,
        help_text=_("Customers with an order (not a refund) in the last N days."),
    )  # fmt: skip
    external_ids = forms.CharField(
        label=_("Customer external ids"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line or comma-separated."),
    )  # fmt: skip
    email_subject = forms.CharField(
        label=_("Email subject"), required=False, max_length=MAX_SUBJECT,
        help_text=_("Leave subject and text empty to use the standard invitation."),
    )  # fmt: skip
    email_body = forms.CharField(
        label=_("Email text"), required=False, max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 7}),
    )  # fmt: skip
    when = forms.ChoiceField(
        label=pgettext_lazy("distribution", "When"), choices=WHEN_CHOICES, initial="now",
        widget=forms.RadioSelect, required=False,
    )  # fmt: skip
    send_at = forms.DateTimeField(
        label=_("Send at"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Only for “Schedule”: a date and time from now on."),
    )  # fmt: skip
    reminder_after_days = forms.IntegerField(
        label=_("Remind non-responders after (days)"), required=False, min_value=1, max_value=90
    )
    max_reminders = forms.IntegerField(
        label=_("Maximum reminders"), min_value=0, max_value=5, initial=0, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Every channel is accepted (SMS without a provider gets the service's explanation);
        # SMS is offered once a provider is configured.
        self.fields["channel"].choices = DistributionChannel.choices
        self.fields["channel"].widget.choices = channel_choices()
        self.fields["email_body"].help_text = _("Placeholders: %(list)s.") % {
            "list": placeholders_help()
        }
        registered = audience_filters()
        self.choice_fields = []
        for key in CHOICE_FILTERS:
            choices = filter_choices(key)
            if choices:
                self.fields[key] = forms.MultipleChoiceField(
                    label=registered[key].label, choices=choices, required=False,
                    widget=forms.CheckboxSelectMultiple, help_text=registered[key].help_text,
                )  # fmt: skip
                self.choice_fields.append(key)
        if "purchased_within_days" not in registered:
            del self.fields["purchased_within_days"]
        self._chosen_customers(kwargs.get("initial") or {})

    def _chosen_customers(self, initial: dict) -> None:
        """Customers chosen by id on another page ("invite them"), ticked by name; the field
        is there only when some are."""
        raw = self.data.getlist("customer_ids") if self.is_bound else initial.get("customer_ids")
        ids = [int(v) for v in (raw or []) if str(v).isdigit() and len(str(v)) <= 18]
        if not ids:
            return
        chosen = Customer.objects.filter(pk__in=ids[:CHOSEN_SHOWN], merged_into=None)
        self.fields["customer_ids"] = forms.TypedMultipleChoiceField(
            label=_("Chosen customers"), coerce=int, required=False,
            choices=[(c.pk, str(c)) for c in chosen.order_by("name", "id")],
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Untick those not to invite."),
        )  # fmt: skip

    def audience_fields(self):
        """The builder's fields, for the template (bound fields, in order)."""
        names = ["customer_ids"] if "customer_ids" in self.fields else []
        names += ["everyone", *self.choice_fields, *TEXT_FILTERS]
        names += [n for n in ("purchased_within_days", "external_ids") if n in self.fields]
        return [self[name] for name in names]

    def audience(self) -> dict:
        """The audience filters the form describes (before validation by the registry)."""
        data = self.cleaned_data
        audience: dict[str, Any] = {}
        if data.get("everyone"):
            audience["all"] = True
        for key in self.choice_fields:
            if data.get(key):
                audience[key] = list(data[key])
        for key in (*TEXT_FILTERS, "external_ids"):
            if _split(data.get(key) or ""):
                audience[key] = _split(data[key])
        if data.get("customer_ids"):
            audience["customer_ids"] = list(data["customer_ids"])
        if data.get("purchased_within_days"):
            audience["purchased_within_days"] = data["purchased_within_days"]
        return audience

    def clean(self):
        cleaned = super().clean()
        cleaned["max_reminders"] = cleaned.get("max_reminders") or 0
        when = cleaned["when"] = cleaned.get("when") or "now"
        send_at = cleaned.get("send_at")
        if when == "schedule" and send_at is None and "send_at" not in self.errors:
            self.add_error("send_at", _("Choose the date and time to send at."))
        elif when == "schedule" and send_at is not None and send_at <= timezone.now():
            self.add_error(
                "send_at",
                _("The sending time %(when)s is in the past; choose a later time, or send now.")
                % {"when": timezone.localtime(send_at).strftime("%Y-%m-%d %H:%M")},
            )
        if when != "schedule":
            cleaned["send_at"] = None
        if cleaned.get("channel") == DistributionChannel.EMAIL:
            texts = email_texts_clean(
                subject=cleaned.get("email_subject", ""), body=cleaned.get("email_body", "")
            )
            for name, messages in texts.items():
                for message in messages:
                    self.add_error(name, message)
        if cleaned.get("channel") == DistributionChannel.LINK:
            return cleaned
        self.clean_audience()
        return cleaned

    def clean_audience(self) -> None:
        """Check the builder's filters; on success cleaned_data["audience"] holds them."""
        audience = self.audience() if hasattr(self, "cleaned_data") else {}
        if not audience:
            self.add_error(
                None,
                _("Choose at least one audience condition, or tick “Every customer in the "
                  "directory”."),
            )  # fmt: skip
            return
        try:
            self.cleaned_data["audience"] = audience_clean(audience)
        except AudienceError as exc:
            for message in exc.errors:
                self.add_error(None, message)


def audience_description(audience: dict) -> list[tuple[str, str]]:
    """The filters of a stored audience in words: [(filter label, chosen labels)…]."""
    registered = audience_filters()
    lines = []
    for key, value in (audience or {}).items():
        audience_filter = registered.get(key)
        label = str(audience_filter.label) if audience_filter else key
        if value is True:
            lines.append((label, str(_("yes"))))
            continue
        labels = dict(filter_choices(key))
        values = value if isinstance(value, list) else [value]
        lines.append((label, "、".join(str(labels.get(v, v)) for v in values)))
    return lines
