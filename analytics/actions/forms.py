"""The manager's form for an improvement action (the model's clean() explains bad input)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from analytics.models import ImprovementAction


class OwnerChoice(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        name = user.get_full_name().strip()
        return f"{name} ({user.get_username()})" if name else user.get_username()


class ActionForm(forms.ModelForm):
    owner = OwnerChoice(
        label=capfirst(_("owner")),
        queryset=get_user_model().objects.filter(is_active=True, groups__isnull=False)
        .distinct().order_by("username"),
    )  # fmt: skip

    class Meta:
        model = ImprovementAction
        fields = [
            "title", "description", "indicator", "baseline_period", "expected_change", "owner",
            "due_date", "status",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "baseline_period": _("The period the indicator is judged “before” in, e.g. 2026Q3 "
                                 "or 2026-10."),
            "expected_change": _("In the indicator's unit: +5 = five NPS points or percentage "
                                 "points more; −2 = two hours faster."),
        }  # fmt: skip
