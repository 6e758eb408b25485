"""The admin's forms for alert rules and robots (the model's clean() explains bad input).

A rule's form knows which fields each kind reads (`KIND_FIELDS`): the page shows only those
of the chosen kind (analytics/static/analytics/alert_rule_form.js); without JavaScript each
such field says which kinds use it, and the server ignores the others (reset, and named in
`ignored` so the page can say so)."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from analytics.alerts.words import masked
from analytics.models import AlertRobot, AlertRule, AlertRuleKind

K = AlertRuleKind
# The fields a rule of each kind reads (analytics/alerts/checks.py); the rest are common.
KIND_FIELDS = {
    "window": list(K.values),
    "threshold": [K.NPS_DROP, K.CSAT_DROP, K.DETRACTOR_SHARE, K.TOPIC_SURGE],
    "indicator": [K.BELOW_TARGET],
    "topic": [K.TOPIC_SURGE],
    "significance": [K.NPS_DROP, K.CSAT_DROP, K.TOPIC_SURGE],
    "min_count": [K.NPS_DROP, K.CSAT_DROP, K.DETRACTOR_SHARE, K.TOPIC_SURGE],
}


def listed(names) -> str:
    """Names joined the way the reader's language lists them (“a、b” / “a, b”)."""
    return pgettext("list separator", ", ").join(names)


class ErrorSummaryMixin:
    """Every error with the label of its field (in the reader's language), for the summary
    at the top of the form: [(field id or "", label or "", message)]."""

    def error_summary(self) -> list[tuple[str, str, str]]:
        rows = []
        for name, errors in self.errors.items():
            field = self.fields.get(name)
            for message in errors:
                if field is None:
                    rows.append(("", "", message))
                else:
                    rows.append((self[name].id_for_label, capfirst(field.label), message))
        return rows


class AlertRuleForm(ErrorSummaryMixin, forms.ModelForm):
    class Meta:
        model = AlertRule
        fields = [
            "name", "kind", "window", "threshold", "indicator", "topic", "significance",
            "min_count", "email_managers", "extra_emails", "robots", "is_active", "muted_until",
        ]  # fmt: skip
        widgets = {
            "extra_emails": forms.Textarea(attrs={"rows": 2}),
            "muted_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "robots": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "threshold": _("NPS / CSAT drop: points (e.g. 5). Detractors: % (e.g. 30). Topic "
                           "surge: times last period (e.g. 2). Not used for targets."),
            "indicator": _("For “misses its target” only; empty = any indicator."),
        }  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ignored: list[str] = []

    def rows(self) -> list[dict]:
        """Each field with the kinds that read it ("" = every kind) and their labels."""
        labels = dict(AlertRuleKind.choices)
        result = []
        for field in self:
            kinds = KIND_FIELDS.get(field.name)
            every = kinds is None or len(kinds) == len(AlertRuleKind.values)
            result.append({
                "field": field,
                "kinds": "" if every else " ".join(kinds),
                "used_for": "" if every else listed(str(labels[k]) for k in kinds),
            })  # fmt: skip
        return result

    def clean(self):
        """Fields the chosen kind does not read are ignored: their errors dropped, their
        values reset (and named in `ignored` when something was filled in)."""
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if not kind:
            return cleaned
        for name, kinds in KIND_FIELDS.items():
            if kind in kinds:
                continue
            raw = self.data.get(self.add_prefix(name), "")
            default = AlertRule._meta.get_field(name).get_default()
            if self.errors.pop(name, None) or (raw not in ("", None) and raw != str(default)):
                self.ignored.append(str(capfirst(self.fields[name].label)))
            cleaned[name] = None if name == "topic" else default
        return cleaned


class AlertRobotForm(ErrorSummaryMixin, forms.ModelForm):
    """A robot's webhook address and secret are credentials: never shown again once saved
    (masked in the help text); left empty when editing, they stay as they are."""

    secret = forms.CharField(
        label=capfirst(_("signing secret")), required=False, max_length=200,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("DingTalk “SEC…” or Feishu's secret. Left empty when editing: unchanged."),
    )  # fmt: skip

    class Meta:
        model = AlertRobot
        fields = ["name", "kind", "url", "secret", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ignored: list[str] = []
        if self.instance.pk:
            self.initial["url"] = ""
            self.fields["url"].required = False
            self.fields["url"].help_text = _("Now %(hint)s. Left empty: unchanged.") % {
                "hint": masked(self.instance.url, url=True)
            }
            if self.instance.secret:
                self.fields["secret"].help_text = _("Now %(hint)s. Left empty: unchanged.") % {
                    "hint": masked(self.instance.secret)
                }

    def clean_url(self):
        url = (self.cleaned_data.get("url") or "").strip()
        if not url and self.instance.pk:
            return self.instance.url
        return url

    def clean_secret(self):
        secret = self.cleaned_data.get("secret", "").strip()
        if not secret and self.instance.pk:
            return self.instance.secret
        return secret

    def rows(self) -> list[dict]:
        return [{"field": field, "kinds": "", "used_for": ""} for field in self]


class MuteForm(forms.Form):
    until = forms.DateField(
        label=_("muted until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
