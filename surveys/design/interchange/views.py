"""Staff pages: download a survey's file, and import one as a new draft."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from surveys.design.interchange.document import document_bytes, export_file_name, survey_document
from surveys.design.interchange.forms import ImportForm
from surveys.design.interchange.services import MAX_FILE_BYTES, survey_import
from surveys.errors import SurveyError
from surveys.models import Survey


@login_required
@permission_required("surveys.view_survey", raise_exception=True)
@require_http_methods(["GET"])
def survey_export(request, pk):
    survey = get_object_or_404(Survey.objects.select_related("current_version"), pk=pk)
    reply = HttpResponse(document_bytes(survey_document(survey)), content_type="application/json")
    reply["Content-Disposition"] = f'attachment; filename="{export_file_name(survey)}"'
    return reply


@login_required
@permission_required("surveys.add_survey", raise_exception=True)
@require_http_methods(["GET", "POST"])
def survey_import_page(request):
    form = ImportForm()
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                imported = survey_import(
                    content=upload.read(MAX_FILE_BYTES + 1),
                    slug=form.cleaned_data["slug"] or "",
                    by=request.user,
                )
            except SurveyError as exc:
                problems = [exc.message, *exc.errors.values()]
                problems = list(dict.fromkeys(str(p) for p in problems))
                status = 400
            else:
                messages.success(
                    request,
                    _("Imported as a draft: “%(title)s”.") % {"title": imported.survey.title},
                )
                for warning in imported.warnings:
                    messages.warning(request, warning)
                return redirect("surveys:builder", imported.survey.pk)
        else:
            status = 400
    return render(
        request,
        "surveys/interchange/import.html",
        {"form": form, "problems": problems},
        status=status,
    )
