"""The preview pages: the survey in the phone (what the builder's iframe shows), and a staff
page with the phone and its controls (restart, jump to a question, sample customer,
language) for opening on its own."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods

from surveys.design.preview.flow import PreviewFlow
from surveys.models import QuestionType, Survey


def _survey_for_preview(request, pk) -> Survey:
    if not request.user.has_perm("surveys.view_survey"):
        raise PermissionDenied
    return get_object_or_404(Survey.objects.select_related("current_version"), pk=pk)


@login_required
@never_cache
@xframe_options_sameorigin
@require_http_methods(["GET", "POST"])
def preview_run(request, pk):
    """The respondent pages of the survey's current version, answered without storing."""
    survey = _survey_for_preview(request, pk)
    return PreviewFlow(request, survey=survey).handle()


def frame_context(survey: Survey) -> dict:
    """What surveys/preview/_frame.html needs besides `survey` (the builder may pass its own
    `questions`: anything with `key` and `text`)."""
    questions = [q for q in survey.current_version.questions.all() if q.type != QuestionType.HIDDEN]
    return {"questions": questions}


@login_required
@never_cache
@require_http_methods(["GET"])
def preview_phone(request, pk):
    survey = _survey_for_preview(request, pk)
    return render(
        request, "surveys/preview/phone.html", {"survey": survey, **frame_context(survey)}
    )
