"""Staff survey builder: list, create (from a template), edit questions and logic, publish."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from surveys.design import services as design
from surveys.design.forms import NewSurveyForm, QuestionForm, SurveySettingsForm
from surveys.design.logic_words import condition_sentence, condition_warnings
from surveys.design.option_images import options_with_images
from surveys.distribution.links import survey_public_url
from surveys.errors import SurveyError
from surveys.models import QuestionType, Survey
from surveys.queries import surveys_with_counts
from surveys.responding.branding import branding_initial, image_url, survey_branding_update


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
        "survey": survey, "version": version, "questions": _cards(specs),
        "settings_form": settings_form,
        "new_question_form": QuestionForm(questions=specs),
        "response_count": survey.responses.filter(status="completed").count(),
        "can_change": request.user.has_perm("surveys.change_survey"),
        "public_url": survey_public_url(survey),  # the configured site URL, as links and QR
    }  # fmt: skip
    return render(request, "surveys/builder/builder.html", context)


@login_required
@require_POST
def question_add(request, pk):
    _can_change(request)
    survey = get_object_or_404(Survey, pk=pk)
    specs = design.survey_questions_specs(survey)
    form = QuestionForm(request.POST, request.FILES, questions=specs)
    if form.is_valid():
        try:
            with transaction.atomic():
                spec = options_with_images(form.spec(), form.option_images_uploaded())
                key = design.question_add(survey=survey, spec=spec)
        except SurveyError as exc:
            return _question_form_page(request, survey, form, exc, None)
        messages.success(request, _("Question added."))
        _warn_about_logic(request, survey, key)
        return redirect(f"{reverse('surveys:builder', args=[survey.pk])}#q-{key}")
    return _question_form_page(request, survey, form, None, None)


@login_required
def question_edit(request, pk, key):
    survey = get_object_or_404(Survey, pk=pk)
    specs = design.survey_questions_specs(survey)
    spec = next((s for s in specs if s["key"] == key), None)
    if spec is None:
        messages.error(request, _("There is no question “%(key)s” in this survey.") % {"key": key})
        return redirect("surveys:builder", survey.pk)
    position = specs.index(spec)
    form = QuestionForm(initial=QuestionForm.initial_for(spec), questions=specs, position=position)
    if request.method == "POST":
        _can_change(request)
        form = QuestionForm(request.POST, request.FILES, questions=specs, position=position)
        if form.is_valid():
            changes = form.spec()
            changes["key"] = changes.get("key") or key  # left empty: the key stays
            try:
                with transaction.atomic():
                    changes = options_with_images(changes, form.option_images_uploaded(), spec)
                    design.question_change(survey=survey, key=key, changes=changes)
            except SurveyError as exc:
                return _question_form_page(request, survey, form, exc, key)
            messages.success(request, _("Question saved."))
            _warn_about_logic(request, survey, changes["key"])
            return redirect("surveys:builder", survey.pk)
    return _question_form_page(request, survey, form, None, key)


def _cards(specs: list[dict]) -> list[dict]:
    """Question specs with what their cards say in words: the type, the logic as a sentence
    and why that logic could never be true."""
    return [{
        **spec, "type_label": QuestionType(spec["type"]).label,
        "logic_sentence": condition_sentence(spec.get("show_if"), specs),
        "logic_warnings": condition_warnings(spec.get("show_if"), specs),
    } for spec in specs]  # fmt: skip


def _warn_about_logic(request, survey, key) -> None:
    specs = design.survey_questions_specs(survey)
    spec = next((s for s in specs if s["key"] == key), {})
    for warning in condition_warnings(spec.get("show_if"), specs):
        messages.warning(request, warning)


def _question_form_page(request, survey, form, exc, key):
    if exc is not None:
        messages.error(request, exc.message)
        for message in exc.errors.values():
            form.add_error(None, message)
    spec = next((s for s in design.survey_questions_specs(survey) if s["key"] == key), {})
    return render(
        request, "surveys/builder/question_form.html",
        {"survey": survey, "form": form, "key": key, "pictures": _pictures(spec)},
        status=200 if exc is None else 400,
    )  # fmt: skip


def _pictures(spec: dict) -> list[dict]:
    """An image-choice question's options with their pictures, shown above the form."""
    return [{"label": o.get("label", ""), "url": image_url(o.get("image"))}
            for o in spec.get("options") or () if o.get("image")]  # fmt: skip


@login_required
@require_POST
def question_action(request, pk, key):
    """Move up, move down or delete one question."""
    _can_change(request)
    survey = get_object_or_404(Survey, pk=pk)
    action = request.POST.get("action")
    try:
        if action == "up":
            design.question_move(survey=survey, key=key, offset=-1)
        elif action == "down":
            design.question_move(survey=survey, key=key, offset=1)
        elif action == "delete":
            design.question_delete(survey=survey, key=key)
            messages.success(request, _("Question deleted."))
    except SurveyError as exc:
        messages.error(request, " ".join([exc.message, *exc.errors.values()]))
    return redirect(f"{reverse('surveys:builder', args=[survey.pk])}#q-{key}")


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
