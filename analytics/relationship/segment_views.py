"""Staff pages of segments: /staff/customers/segments/ (every RFM segment and lifecycle stage
with size, value, churn and NPS) and one segment's page with its trend, its editable playbook,
"invite this segment" (the distribution builder of a survey with the segment ticked) and
"export this segment" (CSV)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analytics.models import CustomerValue
from analytics.relationship.queries import latest_run
from analytics.relationship.segments import (
    PLAYBOOK_MAX,
    segment_key,
    segment_rows,
    segment_trend,
)
from analytics.relationship.services import segment_playbook_save
from analytics.relationship.views import (
    chosen_survey,
    invite_url,
    surveys_to_invite_to,
    values_csv,
)


class PlaybookForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Playbook"), required=False, max_length=PLAYBOOK_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
    )  # fmt: skip


def _directory_url(key) -> str:
    return reverse("surveys:customers") + "?" + urlencode({key.directory_param: key.code})


@login_required
@permission_required("analytics.view_customervalue", raise_exception=True)
def segments(request):
    run = latest_run()
    rows = segment_rows(run) if run else []
    for row in rows:
        row["directory_url"] = _directory_url(row["key"])
    return render(
        request, "analytics/relationship/segments.html",
        {"run": run, "rfm_rows": [r for r in rows if r["kind"] == "rfm"],
         "stage_rows": [r for r in rows if r["kind"] == "stage"]},
    )  # fmt: skip


@login_required
@permission_required("analytics.view_customervalue", raise_exception=True)
def segment_detail(request, kind: str, code: str):
    key = segment_key(kind, code)
    if key is None:
        raise Http404
    may_edit = request.user.has_perm("analytics.change_segmentplaybook")
    run = latest_run()
    row = segment_rows(run, [key])[0] if run else None
    form = PlaybookForm(initial={"text": row["playbook"] if row else ""})
    if request.method == "POST":
        if not may_edit:
            raise Http404
        form = PlaybookForm(request.POST)
        if form.is_valid():
            segment_playbook_save(kind=kind, code=code, text=form.cleaned_data["text"],
                                  by=request.user)  # fmt: skip
            messages.success(request, _("Playbook saved."))
            return redirect(f"relationship:segment-{kind}", code=code)
    return render(
        request, "analytics/relationship/segment.html",
        {"key": key, "run": run, "row": row, "form": form, "may_edit": may_edit,
         "directory_url": _directory_url(key), "trend": segment_trend(key) if run else [],
         "surveys": surveys_to_invite_to(request.user),
         "can_export": request.user.has_perm("surveys.export_customer")},
    )  # fmt: skip


@login_required
@permission_required("analytics.view_customervalue", raise_exception=True)
@permission_required("surveys.add_distribution", raise_exception=True)
def segment_invite(request, kind: str, code: str):
    """Invite this segment: to the chosen survey's distribution builder, the segment ticked."""
    key = segment_key(kind, code)
    if key is None:
        raise Http404
    survey = chosen_survey(request)
    if survey is None:
        return redirect(f"relationship:segment-{key.kind}", code=key.code)
    return redirect(invite_url(survey.pk, {key.field: [key.code]}))


@login_required
@permission_required("analytics.view_customervalue", raise_exception=True)
@permission_required("surveys.export_customer", raise_exception=True)
def segment_export(request, kind: str, code: str):
    """Export this segment: its customers in the latest run, highest CLV first."""
    key = segment_key(kind, code)
    if key is None:
        raise Http404
    run = latest_run()
    values = (
        CustomerValue.objects.filter(run=run, **{key.field: key.code})
        .select_related("customer").order_by("-clv", "customer_id")
        if run else []
    )  # fmt: skip
    name = f"segment-{key.kind}-{key.code}-{run.as_of}.csv" if run else "segment.csv"
    return values_csv(request, run, values, resource="customer_segment", filename=name)
