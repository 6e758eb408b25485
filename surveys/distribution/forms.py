"""The staff form for a new distribution: audience filters, schedule and reminders."""

from django import forms
from django.utils.translation import gettext_lazy as _

from surveyhub.api.parsers import loads as json_loads
from surveys.distribution.audience import AudienceError, audience_clean
from surveys.models import DistributionChannel, Language


def _split(text: str) -> list[str]:
    return [
        item.strip()
        for item in text.replace("，", ",").replace("\n", ",").split(",")
        if item.strip()
    ]


class DistributionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    channel = forms.ChoiceField(
        label=_("Channel"), choices=DistributionChannel.choices, initial="email",
        help_text=_(
            "SMS texts each customer's mobile a short personal link; "
            "it needs an SMS provider set up on the server."
        ),
    )  # fmt: skip
    everyone = forms.BooleanField(label=_("Every customer in the directory"), required=False)
    tags = forms.CharField(
        label=_("Tags"), required=False, help_text=_("Comma-separated; customers with any of them.")
    )
    region = forms.CharField(
        label=_("Regions"), required=False, help_text=_("Comma-separated, e.g. 上海, 北京.")
    )
    external_ids = forms.CharField(
        label=_("Customer external ids"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line or comma-separated."),
    )  # fmt: skip
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any")), *Language.choices]
    )
    more_filters = forms.CharField(
        label=_("More filters (JSON)"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_('Filters other modules add, e.g. {"purchased_within_days": 30}.'),
    )  # fmt: skip
    send_at = forms.DateTimeField(
        label=_("Send at"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Leave empty to send as soon as you press “Send”."),
    )  # fmt: skip
    reminder_after_days = forms.IntegerField(
        label=_("Remind non-responders after (days)"), required=False, min_value=1, max_value=90
    )
    max_reminders = forms.IntegerField(
        label=_("Maximum reminders"), min_value=0, max_value=5, initial=0
    )

    def clean_more_filters(self) -> dict:
        raw = self.cleaned_data["more_filters"].strip()
        if not raw:
            return {}
        try:
            value = json_loads(raw)
        except ValueError:
            raise forms.ValidationError(
                _('Write a JSON object, e.g. {"rfm_segment": ["重要价值客户"]}.')
            ) from None
        if not isinstance(value, dict):
            raise forms.ValidationError(
                _('Write a JSON object, e.g. {"rfm_segment": ["重要价值客户"]}.')
            )
        return value

    def audience(self) -> dict:
        """The audience filters the form describes (before validation by the registry)."""
        data = self.cleaned_data
        audience = dict(data.get("more_filters") or {})
        if data.get("everyone"):
            audience["all"] = True
        for key in ("tags", "region", "external_ids"):
            if _split(data.get(key) or ""):
                audience[key] = _split(data[key])
        if data.get("language"):
            audience["language"] = [data["language"]]
        return audience

    def clean(self):
        cleaned = super().clean()
        if self.errors or cleaned.get("channel") == DistributionChannel.LINK:
            return cleaned
        try:
            cleaned["audience"] = audience_clean(self.audience())
        except AudienceError as exc:
            for message in exc.errors:
                self.add_error(None, message)
        return cleaned
