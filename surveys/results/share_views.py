"""Share links of a survey's results: the staff page that makes and revokes them, and the
public read-only page a link opens (aggregates; free text only if the sharer allowed it)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from surveys.models import ResultShare, Survey
from surveys.results import page_data
from surveys.results.access import can_read_responses, can_read_results
from surveys.results.filters import (
    ResultsFilterError,
    filtered_responses,
    parse_filters,
    survey_questions,
)
from surveys.results.other_texts import other_text_sections
from surveys.results.queries import survey_results
from surveys.results.sharing import (
    MAX_DAYS,
    ShareError,
    share_create,
    share_filters,
    share_for_token,
    share_revoke,
    share_token,
)

DEFAULT_DAYS = 14


def _survey_for_sharing(request, pk) -> Survey:
    survey = get_object_or_404(Survey, pk=pk)
    if not can_read_results(request.user):
        raise PermissionDenied
    return survey


@login_required
def shares_page(request, pk):
    survey = _survey_for_sharing(request, pk)
    error = ""
    if request.method == "POST":
        allow_text = request.POST.get("allow_text") == "on"
        if allow_text and not can_read_responses(request.user):
            raise PermissionDenied
        try:
            days = int(request.POST.get("days") or DEFAULT_DAYS)
        except ValueError:
            days = 0
        try:
            share_create(
                survey=survey, params=QueryDict(request.POST.get("filters", "")[:2000]),
                days=days, allow_text=allow_text, name=request.POST.get("name", ""),
                by=request.user,
            )  # fmt: skip
        except (ShareError, ResultsFilterError) as exc:
            error = exc.text
        else:
            messages.success(request, _("Share link created."))
            return redirect("surveys:results-shares", survey.pk)
    shares = ResultShare.objects.filter(survey=survey).select_related("created_by")
    links = [
        (share, request.build_absolute_uri(reverse("results-shared", args=[share_token(share)])))
        for share in shares
    ]
    return render(request, "surveys/results/shares.html", {
        "survey": survey, "title": survey.title_in(get_language()), "links": links,
        "filters": request.GET.urlencode() if request.method == "GET" else
        request.POST.get("filters", ""), "error": error, "max_days": MAX_DAYS,
        "default_days": DEFAULT_DAYS, "can_read_responses": can_read_responses(request.user),
        "now": timezone.now(),
    }, status=400 if error else 200)  # fmt: skip


@login_required
@require_POST
def share_revoke_view(request, pk, share_id):
    survey = _survey_for_sharing(request, pk)
    share_revoke(share=get_object_or_404(ResultShare, survey=survey, pk=share_id))
    messages.success(request, _("The link no longer works."))
    return redirect("surveys:results-shares", survey.pk)


def shared_results(request, token):
    """The results a share link opens: read-only, no account needed."""
    share = share_for_token(token)
    if share is None:
        raise Http404
    survey = share.survey
    language = get_language()
    params = share_filters(share)
    questions = survey_questions(survey)
    filters = parse_filters(params, survey=survey, questions=questions)
    results = survey_results(
        survey=survey, filters=filters, language=language, hidden_values=share.allow_text
    )
    context = {
        "survey": survey, "title": survey.title_in(language), "share": share,
        "results": results, "charts": page_data.chart_data(results),
        "chart_labels": {"count": _("Count"), "share": _("Share"),
                         "language": "en" if language == "en" else "zh"},
    }  # fmt: skip
    if share.allow_text:
        responses = filtered_responses(survey, filters)
        context["text_page"], context["text_rows"] = page_data.text_answers(
            responses, questions, search="", page=request.GET.get("page", "1"),
            language=language,
        )  # fmt: skip
        context["other_texts"] = other_text_sections(request.GET, responses, questions,
                                                     language, {})  # fmt: skip
    reply = render(request, "surveys/results/shared.html", context)
    reply["X-Robots-Tag"] = "noindex, nofollow"
    reply["Referrer-Policy"] = "no-referrer"
    return reply
