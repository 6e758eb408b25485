"""Staff survey builder: list, create (from a template), the builder page, publish."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from surveys.design import services as design
from surveys.design.cards import questions_context
from surveys.design.forms import NewSurveyForm, QuestionForm, SurveySettingsForm

# The question edits live in question_views; surveys.urls reaches them through this module.
from surveys.design.question_views import question_action, question_add, question_edit
from surveys.distribution.links import survey_public_url
from surveys.errors import SurveyError
from surveys.models import Survey
from surveys.queries import surveys_with_counts
from surveys.responding.branding import branding_initial, survey_branding_update


def _can_change(request) -> None:
    if not request.user.has_perm("surveys.change_survey"):
        raise PermissionDenied


@login_required
@permission_required("surveys.view_survey", raise_exception=True)
def survey_list(request):
    form = NewSurveyForm()
    if request.method == "POST":
        if not request.user.has_perm("surveys.add_survey"):
            raise PermissionDenied
        form = NewSurveyForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["template"]:
                    survey = design.survey_create_from_template(
                        template_key=data["template"], slug=data["slug"], by=request.user,
                        title=data["title"], kind=data["kind"],
                    )  # fmt: skip
                else:
                    survey = design.survey_create(
                        title=data["title"], slug=data["slug"], kind=data["kind"] or "nps",
                        by=request.user,
                    )  # fmt: skip
            except SurveyError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("Survey created. Add or change questions below."))
                return redirect("surveys:builder", survey.pk)
    surveys = surveys_with_counts().order_by("-created_at")
    return render(request, "surveys/builder/list.html", {"surveys": surveys, "form": form})


def _errors_to_form(form, exc: SurveyError) -> None:
    for name, message in exc.errors.items():
        form.add_error(name if name in form.fields else None, message)
    if not exc.errors:
        form.add_error(None, exc.message)


@login_required
@permission_required("surveys.view_survey", raise_exception=True)
def builder(request, pk):
    survey = get_object_or_404(Survey.objects.select_related("current_version"), pk=pk)
    version = survey.current_version
    settings_form = SurveySettingsForm(initial={
        "title": survey.title, "title_en": survey.title_en, "languages": survey.languages,
        "opens_at": survey.opens_at, "closes_at": survey.closes_at,
        "one_question_per_page": survey.one_question_per_page,
        "wechat_identity": survey.wechat_identity,
        **{name: getattr(version, name) for name in design.VERSION_FIELDS},
        **branding_initial(survey),
    })  # fmt: skip
    if request.method == "POST":
        _can_change(request)
        settings_form = SurveySettingsForm(request.POST, request.FILES)
        if settings_form.is_valid():
            data = dict(settings_form.cleaned_data)
            look = {name: data.pop(name) for name in SurveySettingsForm.BRANDING_FIELDS}
            try:
                with transaction.atomic():
                    design.survey_update(survey=survey, **data)
                    survey_branding_update(survey=survey, **look)
            except SurveyError as exc:
                _errors_to_form(settings_form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("surveys:builder", survey.pk)
    specs = design.survey_questions_specs(survey)
    context = {
        **questions_context(survey, specs), "version": version,
        "settings_form": settings_form,
        "new_question_form": QuestionForm(questions=specs),
        "response_count": survey.responses.filter(status="completed").count(),
        "can_change": request.user.has_perm("surveys.change_survey"),
        "public_url": survey_public_url(survey),  # the configured site URL, as links and QR
    }  # fmt: skip
    return render(request, "surveys/builder/builder.html", context)


@login_required
@require_POST
def survey_state_change(request, pk, action):
    _can_change(request)
    survey = get_object_or_404(Survey, pk=pk)
    try:
        if action == "publish":
            design.survey_publish(survey=survey, by=request.user)
            messages.success(request, _("Published: the survey takes answers now."))
        else:
            design.survey_close(survey=survey, by=request.user)
            messages.success(request, _("Closed: the survey takes no more answers."))
    except SurveyError as exc:
        messages.error(request, " ".join([exc.message, *exc.errors.values()]))
    return redirect("surveys:builder", survey.pk)


__all__ = ["builder", "question_action", "question_add", "question_edit", "survey_list",
           "survey_state_change"]  # fmt: skip
