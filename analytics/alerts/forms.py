"""The admin's forms for alert rules and robots (the model's clean() explains bad input)."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from analytics.models import AlertRobot, AlertRule


class AlertRuleForm(forms.ModelForm):
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


class AlertRobotForm(forms.ModelForm):
    secret = forms.CharField(
        label=capfirst(_("signing secret")), required=False, max_length=200,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("DingTalk “SEC…” or Feishu's secret. Left empty when editing: unchanged."),
    )  # fmt: skip

    class Meta:
        model = AlertRobot
        fields = ["name", "kind", "url", "secret", "is_active"]

    def clean_secret(self):
        secret = self.cleaned_data.get("secret", "").strip()
        if not secret and self.instance.pk:
            return self.instance.secret
        return secret


class MuteForm(forms.Form):
    until = forms.DateField(
        label=_("muted until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
