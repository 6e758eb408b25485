"""The builder's question edits. Each one answers a plain form post with a redirect to the
builder page (works without JavaScript); asked by the builder's script (header
`X-Builder-Fragment: 1`) it answers with the piece of page to swap in instead: the question
list (header `X-Builder-Swap: list`) or the question form with its errors (`form`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from surveys.design import editing
from surveys.design import services as design
from surveys.design.cards import logic_warnings_of, questions_context
from surveys.design.forms import QuestionForm
from surveys.design.option_images import options_with_images
from surveys.errors import SurveyError
from surveys.models import Survey
from surveys.responding.branding import image_url

LEVELS = {"success": messages.SUCCESS, "warning": messages.WARNING, "error": messages.ERROR}


def _can_change(request) -> None:
    if not request.user.has_perm("surveys.change_survey"):
        raise PermissionDenied


def _fragment(request) -> bool:
    return request.headers.get("X-Builder-Fragment") == "1"


def _note(level: str, text: str) -> dict:
    return {"level": level, "text": text}


def _error_text(exc: SurveyError) -> str:
    return " ".join(dict.fromkeys([exc.message, *exc.errors.values()]))


def _after_change(request, pk, notes: list[dict], key: str = "", warn: bool = False):
    """The reply to a change (or a refused one): the question list, or back to the page.
    `pk`: the survey or its id (a survey just changed is fresh: the services reload it).
    `warn`: add the warnings about the logic of question `key` (just saved)."""
    survey = pk if isinstance(pk, Survey) else Survey.objects.get(pk=pk)
    pk = survey.pk
    specs = design.survey_questions_specs(survey)
    if warn:
        notes = [*notes, *(_note("warning", w) for w in logic_warnings_of(specs, key))]
    if _fragment(request):
        context = {**questions_context(survey, specs), "notes": notes, "can_change": True}
        reply = render(request, "surveys/builder/_questions.html", context)
        reply["X-Builder-Swap"] = "list"
        return reply
    for note in notes:
        messages.add_message(request, LEVELS[note["level"]], note["text"])
    return redirect(reverse("surveys:builder", args=[pk]) + (f"#q-{key}" if key else ""))


def _saved(request, survey, text: str, key: str):
    return _after_change(request, survey, [_note("success", text)], key, warn=True)


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
            return _form_reply(request, survey, form, exc, None)
        return _saved(request, survey, _("Question added."), key)
    return _form_reply(request, survey, form, None, None)


@login_required
@permission_required("surveys.view_survey", raise_exception=True)
def question_edit(request, pk, key):
    survey = get_object_or_404(Survey, pk=pk)
    specs = design.survey_questions_specs(survey)
    spec = next((s for s in specs if s["key"] == key), None)
    if spec is None:
        message = _("There is no question “%(key)s” in this survey.") % {"key": key}
        return _after_change(request, survey.pk, [_note("error", message)])
    position = specs.index(spec)
    ids = f"e_{key}_%s"  # an edit form opened in its card: ids apart from the add form's
    if request.method != "POST":
        form = QuestionForm(initial=QuestionForm.initial_for(spec), questions=specs,
                            position=position, auto_id=ids)  # fmt: skip
    else:
        _can_change(request)
        form = QuestionForm(request.POST, request.FILES, questions=specs, position=position,
                            auto_id=ids)  # fmt: skip
        if form.is_valid():
            changes = form.spec()
            changes["key"] = changes.get("key") or key  # left empty: the key stays
            try:
                with transaction.atomic():
                    changes = options_with_images(changes, form.option_images_uploaded(), spec)
                    design.question_change(survey=survey, key=key, changes=changes, specs=specs)
            except SurveyError as exc:
                return _form_reply(request, survey, form, exc, key)
            return _saved(request, survey, _("Question saved."), changes["key"])
    return _form_reply(request, survey, form, None, key)


def _form_reply(request, survey, form, exc, key):
    if exc is not None:
        for message in dict.fromkeys([exc.message, *exc.errors.values()]):
            form.add_error(None, message)
    spec = next((s for s in design.survey_questions_specs(survey) if s["key"] == key), {})
    context = {"survey": survey, "form": form, "key": key, "pictures": _pictures(spec)}
    if _fragment(request):
        reply = render(request, "surveys/builder/_question_form.html", context)
        reply["X-Builder-Swap"] = "form"
        return reply
    if exc is not None:
        messages.error(request, exc.message)
    return render(request, "surveys/builder/question_form.html", context,
                  status=200 if exc is None else 400)  # fmt: skip


def _pictures(spec: dict) -> list[dict]:
    """An image-choice question's options with their pictures, shown above the form."""
    return [{"label": o.get("label", ""), "url": image_url(o.get("image"))}
            for o in spec.get("options") or () if o.get("image")]  # fmt: skip


@login_required
@require_POST
def question_action(request, pk, key):
    """Move up or down, delete, duplicate, or keep in the question bank: one question."""
    _can_change(request)
    survey = get_object_or_404(Survey, pk=pk)
    action = request.POST.get("action")
    notes, anchor = [], key
    try:
        if action in {"up", "down"}:
            design.question_move(survey=survey, key=key, offset=-1 if action == "up" else 1)
        elif action == "delete":
            design.question_delete(survey=survey, key=key)
            notes.append(_note("success", _("Question deleted.")))
        elif action == "duplicate":
            anchor = editing.question_duplicate(survey=survey, key=key)
            notes.append(_note("success", _("Question duplicated.")))
        elif action == "bank":
            editing.question_bank_save(survey=survey, key=key, by=request.user)
            notes.append(_note("success", _("Saved in the question bank.")))
    except SurveyError as exc:
        notes.append(_note("error", _error_text(exc)))
    return _after_change(request, survey, notes, anchor)


@login_required
@require_POST
def questions_reorder(request, pk):
    """The whole new order at once (drag and drop): saved as one change, or refused whole."""
    _can_change(request)
    survey = get_object_or_404(Survey, pk=pk)
    try:
        editing.questions_reorder(survey=survey, keys=request.POST.getlist("order"))
    except SurveyError as exc:
        return _after_change(request, survey.pk, [_note("error", _error_text(exc))])
    return _after_change(request, survey, [_note("success", _("New order saved."))])


@login_required
@require_POST
def survey_undo(request, pk):
    _can_change(request)
    survey = get_object_or_404(Survey, pk=pk)
    try:
        label = editing.survey_undo(survey=survey)
    except SurveyError as exc:
        return _after_change(request, survey.pk, [_note("error", _error_text(exc))])
    text = _("Undone: %(change)s.") % {"change": label}
    return _after_change(request, survey, [_note("success", text)])


def _item_id(request) -> int:
    """The question bank item a form posted (0, which names none, when it is not a number)."""
    value = request.POST.get("item", "")
    return int(value) if value.isdigit() else 0


@login_required
@require_POST
def bank_insert(request, pk):
    _can_change(request)
    survey = get_object_or_404(Survey, pk=pk)
    try:
        key = editing.question_bank_insert(survey=survey, item_id=_item_id(request))
    except SurveyError as exc:
        return _after_change(request, survey.pk, [_note("error", _error_text(exc))])
    return _saved(request, survey, _("Question added from the question bank."), key)


@login_required
@require_POST
def bank_remove(request, pk):
    _can_change(request)
    editing.question_bank_remove(item_id=_item_id(request))
    return _after_change(request, pk, [_note("success", _("Removed from the question bank."))])


@login_required
@permission_required("surveys.view_survey", raise_exception=True)
def questions_fragment(request, pk):
    """The question list alone, the piece of page the script swaps in."""
    survey = get_object_or_404(Survey, pk=pk)
    specs = design.survey_questions_specs(survey)
    context = {**questions_context(survey, specs), "notes": [],
               "can_change": request.user.has_perm("surveys.change_survey")}  # fmt: skip
    reply = render(request, "surveys/builder/_questions.html", context)
    reply["X-Builder-Swap"] = "list"
    return reply
