"""Forms of the case pages: queue filters, note, reply, call, assign, resolve, metrics."""

from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feedback.cases.queries import QUEUE_VIEWS
from feedback.cases.wording import known_tiers, tier_label
from feedback.models.cases import CaseOutcome, CasePriority, ResolutionReason


def case_workers():
    """Active users who may work cases (directly or through a role)."""
    perm = Permission.objects.get(codename="change_case", content_type__app_label="feedback")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(user_permissions=perm) | Q(groups__permissions=perm))
        .distinct()
        .order_by("username")
    )


class QueueFilterForm(forms.Form):
    view = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("open", _("All open")),
            ("mine", _("Mine")),
            ("unassigned", _("Unassigned")),
            ("overdue", _("Overdue")),
        ],
    )
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[("", _("Any")), *CasePriority.choices]
    )
    topic = forms.TypedChoiceField(label=_("Topic"), required=False, coerce=int, empty_value=None)
    survey = forms.TypedChoiceField(label=_("Survey"), required=False, coerce=int, empty_value=None)
    value_tier = forms.ChoiceField(label=_("Value tier"), required=False)

    def __init__(self, *args, topics=(), surveys=(), tiers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("Any")), *[(t.pk, t.name) for t in topics]]
        self.fields["survey"].choices = [("", _("Any")), *[(s.pk, s.title) for s in surveys]]
        self.fields["value_tier"].choices = [
            ("", _("Any")),
            *[(t, tier_label(t)) for t in known_tiers(tiers)],
        ]

    def clean_view(self):
        view = self.cleaned_data.get("view") or "open"
        return view if view in QUEUE_VIEWS else "open"


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 3}))


class CallForm(forms.Form):
    summary = forms.CharField(label=_("Call summary"), widget=forms.Textarea(attrs={"rows": 3}))


class ReplyForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    message = forms.CharField(
        label=_("Message to the customer"), widget=forms.Textarea(attrs={"rows": 5})
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = case_workers()


class BulkAssignForm(AssignForm):
    cases = forms.CharField(widget=forms.MultipleHiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        ids = self.data.getlist("cases") if hasattr(self.data, "getlist") else []
        try:
            cleaned["case_ids"] = sorted({int(i) for i in ids})
        except ValueError:
            raise forms.ValidationError(_("Select cases from the list.")) from None
        if not cleaned["case_ids"]:
            raise forms.ValidationError(_("Select at least one case."))
        return cleaned


class ResolveForm(forms.Form):
    reason = forms.ModelChoiceField(
        label=_("Resolution reason"), queryset=ResolutionReason.objects.filter(is_active=True)
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=CaseOutcome.choices)
    resurvey = forms.BooleanField(
        label=_("Send the one-question satisfaction re-survey"), required=False
    )


class MetricsForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False)
    end = forms.DateField(label=_("To (inclusive)"), required=False)

    def period(self):
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or today
        start = data.get("start") or end - timedelta(days=89)
        if start > end:
            start, end = end, start
        return start, end
