"""Staff pages: the churn warning list (/staff/customers/at-risk/), its export, the call
action and "invite to a win-back survey", and the lifecycle page (/staff/customers/lifecycle/)."""

from __future__ import annotations

import csv
import io
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from analytics.evaluations.segments import segment_label
from analytics.models import ChurnBand, CustomerValue
from analytics.relationship.lifecycle_chart import transition_chart
from analytics.relationship.queries import (
    PAGE_SIZE,
    at_risk_rows,
    at_risk_values,
    latest_run,
    model_in_words,
    previous_run,
    satisfaction_by_stage,
    stage_counts,
    stage_transitions,
)
from analytics.relationship.services import churn_call_case_open
from surveyhub.spreadsheets.formula_guard import safe_cell
from surveys.customers.services import TAG_AT_ONCE, CustomerError, customers_tag_add
from surveys.models import Survey, SurveyStatus
from surveys.privacy.access_log import personal_data_access_record, personal_data_listed

EXPORT_MAX = 100_000


def invite_url(survey_id: int, audience: dict[str, list[str]]) -> str:
    """The distribution builder of a survey with these audience filters ticked."""
    query = urlencode(audience, doseq=True)
    return reverse("surveys:distribution-list", args=[survey_id]) + "?" + query


def surveys_to_invite_to(user) -> list[tuple[int, str]]:
    """(id, title in the reader's language) of the surveys a user may invite to: the open
    ones, newest first."""
    if not user.has_perm("surveys.add_distribution"):
        return []
    language = get_language() or ""
    surveys = Survey.objects.filter(status=SurveyStatus.ACTIVE).order_by("-id")[:100]
    return [(s.pk, s.title_in("en" if language.startswith("en") else language)) for s in surveys]


def chosen_survey(request, data=None) -> Survey | None:
    """The open survey of ?survey=<id> (or of `data`); None (and a message to choose one)
    otherwise."""
    raw = str((request.GET if data is None else data).get("survey", ""))
    survey = None
    if raw.isdigit():
        survey = Survey.objects.filter(pk=int(raw), status=SurveyStatus.ACTIVE).first()
    if survey is None:
        messages.error(request, _("Choose an open survey to invite to."))
    return survey


def _band(request) -> str:
    data = request.POST if request.method == "POST" else request.GET
    return ChurnBand.MEDIUM if data.get("band") == ChurnBand.MEDIUM else ChurnBand.HIGH


def _chosen_customers(request) -> list[int]:
    """The customers ticked on a page of the list ("all on this page": every one shown)."""
    raw = request.POST.getlist("customer")
    if request.POST.get("all_on_page"):
        raw += request.POST.getlist("page_customer")
    ids = {int(v) for v in raw if v.isdigit() and len(v) <= 18}
    return sorted(ids)[:TAG_AT_ONCE]


def _back_to_list(request):
    page = str(request.POST.get("page", ""))
    query = {"band": _band(request), **({"page": page} if page.isdigit() else {})}
    return redirect(reverse("relationship:at-risk") + "?" + urlencode(query))


@login_required
@permission_required("analytics.view_customervalue", raise_exception=True)
def at_risk(request):
    run = latest_run()
    band = _band(request)
    page = rows = None
    if run is not None:
        page = Paginator(at_risk_values(run, band=band), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        rows = at_risk_rows(list(page.object_list))
        for row in rows:
            row.segment_name = segment_label(row.value.rfm_segment)
        personal_data_listed(request, resource="customers_at_risk", count=len(rows))
    return render(
        request,
        "analytics/relationship/at_risk.html",
        {
            "run": run, "page": page, "rows": rows, "band": band,
            "model_lines": model_in_words(run) if run else [],
            "can_call": request.user.has_perm("feedback.change_case"),
            "can_tag": request.user.has_perm("surveys.change_customer"),
            "surveys": surveys_to_invite_to(request.user),
            "can_export": request.user.has_perm("surveys.export_customer"),
        },
    )  # fmt: skip


@login_required
@permission_required("analytics.view_customervalue", raise_exception=True)
@permission_required("surveys.export_customer", raise_exception=True)
def at_risk_export(request):
    run = latest_run()  # without a run: the header alone
    values = at_risk_values(run, band=_band(request)) if run else []
    name = f"at-risk-{run.as_of}.csv" if run else "at-risk.csv"
    return values_csv(request, run, values, resource="customers_at_risk", filename=name)


def values_csv(request, run, values, *, resource: str, filename: str) -> HttpResponse:
    """A CSV of customer values (at most EXPORT_MAX rows), in words, logged as a personal-data
    export of `resource`."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([
        _("External ID"), _("Name"), _("Churn risk"), _("Churn risk band"), _("CLV"),
        _("Value at stake"), _("Days since the last order"), _("Usual days between orders"),
        _("Lifecycle stage"), _("RFM segment"),
    ])  # fmt: skip
    count = 0
    for value in values[:EXPORT_MAX]:  # labels, not stored codes: people read this file
        writer.writerow([
            safe_cell(value.customer.external_id or ""), safe_cell(value.customer.name),
            "" if value.churn_risk is None else round(value.churn_risk, 4),
            value.get_churn_band_display(), value.clv, value.value_at_stake, value.recency_days,
            "" if value.rhythm_days is None else round(value.rhythm_days, 1),
            value.get_lifecycle_stage_display(), segment_label(value.rfm_segment),
        ])  # fmt: skip
        count += 1
    personal_data_access_record(
        action="export", resource=resource, object_id=run.pk if run else "",
        count=count, request=request,
    )  # fmt: skip
    reply = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    reply["Content-Disposition"] = f'attachment; filename="{filename}"'
    return reply


@login_required
@permission_required("analytics.view_customervalue", raise_exception=True)
@permission_required("surveys.add_distribution", raise_exception=True)
def at_risk_invite(request):
    """Invite the list to a win-back survey: to the survey's distribution builder with the
    churn-risk band(s) of the list ticked."""
    survey = chosen_survey(request)
    if survey is None:
        return redirect(reverse("relationship:at-risk") + f"?band={_band(request)}")
    bands = (
        [ChurnBand.HIGH] if _band(request) == ChurnBand.HIGH else [ChurnBand.HIGH, ChurnBand.MEDIUM]
    )
    return redirect(invite_url(survey.pk, {"churn_band": bands}))


@require_POST
@login_required
@permission_required("analytics.view_customervalue", raise_exception=True)
@permission_required("surveys.add_distribution", raise_exception=True)
def at_risk_invite_chosen(request):
    """Invite the customers ticked on the list: to the survey's distribution builder with
    them chosen (nothing is sent before the builder's own confirmation)."""
    ids = _chosen_customers(request)
    survey = chosen_survey(request, request.POST)
    if survey is None:
        return _back_to_list(request)
    if not ids:
        messages.error(request, _("Tick the customers to invite first."))
        return _back_to_list(request)
    return redirect(invite_url(survey.pk, {"customer_ids": [str(pk) for pk in ids]}))


@require_POST
@login_required
@permission_required("analytics.view_customervalue", raise_exception=True)
@permission_required("surveys.change_customer", raise_exception=True)
def at_risk_tag(request):
    """Tag the customers ticked on the list, so they form a segment to filter and invite."""
    ids = _chosen_customers(request)
    if not ids:
        messages.error(request, _("Tick the customers to tag first."))
        return _back_to_list(request)
    try:
        added, already = customers_tag_add(
            customer_ids=ids, name=request.POST.get("tag", ""), by=request.user
        )
    except CustomerError as exc:
        messages.error(request, exc.message)
        return _back_to_list(request)
    tag = " ".join(request.POST.get("tag", "").split())
    text = ngettext(
        "%(n)d customer tagged “%(tag)s”.", "%(n)d customers tagged “%(tag)s”.", added
    ) % {"n": added, "tag": tag}
    if already:
        text += " " + _("%(n)d already had it.") % {"n": already}
    messages.success(request, text)
    return _back_to_list(request)


@require_POST
@login_required
@permission_required("analytics.view_customervalue", raise_exception=True)
@permission_required("feedback.change_case", raise_exception=True)
def at_risk_call(request, customer_id: int):
    run = latest_run()
    value = CustomerValue.objects.filter(run=run, customer_id=customer_id).first() if run else None
    if value is None:
        raise Http404
    case, created = churn_call_case_open(value=value, by=request.user)
    if created:
        messages.success(request, _("Case #%(id)d opened for a call.") % {"id": case.pk})
    else:
        messages.info(
            request, _("The reasons were added to the open case #%(id)d.") % {"id": case.pk}
        )
    return redirect("cases:detail", case.pk)


@login_required
@permission_required("analytics.view_customervalue", raise_exception=True)
def lifecycle(request):
    run = latest_run()
    context = {"run": run}
    if run is not None:
        earlier = previous_run(run)
        context.update(
            stages=stage_counts(run),
            transitions=stage_transitions(run, earlier),
            stage_labels=[row["label"] for row in stage_counts(run)],
            satisfaction=satisfaction_by_stage(run),
            earlier=earlier,
        )
        context["flow_chart"] = transition_chart(context["transitions"])
    return render(request, "analytics/relationship/lifecycle.html", context)
