"""The staff results page of a survey: every question's chart for the filters in the URL,
free-text answers, a cross-tab, a comparison of two periods or versions, quality flags."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from surveys.customers.directory_filters import directory_filters
from surveys.models import (
    Channel,
    Customer,
    Distribution,
    Response,
    Store,
    Survey,
    SurveyVersion,
)  # fmt: skip
from surveys.responding.answers import SCALES
from surveys.results import page_data
from surveys.results.access import can_read_responses, can_read_results
from surveys.results.crosstab import crosstab
from surveys.results.filters import (
    CHOICE_TYPES,
    CUSTOMER_SEGMENTS,
    QUALITY_FLAGS,
    ResultsFilterError,
    filtered_responses,
    parse_filters,
    survey_questions,
)
from surveys.results.labels import question_text
from surveys.results.other_texts import other_text_sections
from surveys.results.queries import result_summary, survey_results
from surveys.scoring.rules import NPS_GROUPS, NpsGroup, nps_group_range

PAGE_PARAMS = ("xa", "xb", "compare_from", "compare_to", "compare_version", "search", "page",
               "print", "other", "other_page")  # fmt: skip
OPTIONS_SHOWN = 200


def _nps_group_label(group: NpsGroup) -> str:
    low, high = nps_group_range(group)
    names = {NpsGroup.PROMOTER: _("Promoters"), NpsGroup.PASSIVE: _("Passives"),
             NpsGroup.DETRACTOR: _("Detractors")}  # fmt: skip
    return f"{names[group]} {low}–{high}"


def filter_choices(survey: Survey, questions: dict, language: str) -> dict:
    """The options of the filter form: only values that exist for this survey."""
    answered = Response.objects.filter(survey=survey)
    return {
        "channels": Channel.choices,
        # The managed list only: a `?store=` typed on a public link is never offered (#19).
        "stores": Store.objects.filter(is_active=True, code__in=answered.values("store"))
        .values_list("code", flat=True)[:OPTIONS_SHOWN],
        "regions": Customer.objects.filter(responses__survey=survey).exclude(region="")
        .order_by("region").values_list("region", flat=True).distinct()[:OPTIONS_SHOWN],
        "distributions": Distribution.objects.filter(survey=survey).order_by("-created_at"),
        "versions": SurveyVersion.objects.filter(survey=survey).values_list("number", flat=True),
        "nps_groups": [(g.value, _nps_group_label(g)) for g in NPS_GROUPS],
        "segments": list(CUSTOMER_SEGMENTS),
        # Labels of the RFM segments, from the app that registered the directory filter.
        "rfm_segments": [(value, label) for f in directory_filters() if f.key == "rfm_segment"
                         for value, label in f.choices()],
        "quality_flags": list(QUALITY_FLAGS.items()),
        "tabulable": [(key, question_text(q, language)) for key, q in questions.items()
                      if q.type in SCALES or q.type in CHOICE_TYPES],
    }  # fmt: skip


def results_page(request, pk):
    survey = get_object_or_404(Survey, pk=pk)
    if not can_read_results(request.user):
        raise PermissionDenied
    language = get_language()
    questions = survey_questions(survey)
    params = request.GET
    errors: dict[str, list[str]] = {}
    context = {
        "survey": survey, "title": survey.title_in(language), "params": params,
        "errors": errors,
        "exclude": params.getlist("exclude"),
        "answer_filters": [v for v in params.getlist("q") if v],
        "choices": filter_choices(survey, questions, language),
        "can_read_responses": can_read_responses(request.user),
        "printable": params.get("print") == "1",
    }  # fmt: skip
    try:
        filters = parse_filters(params, survey=survey, extra=PAGE_PARAMS, questions=questions)
    except ResultsFilterError as exc:
        errors.update(exc.field_errors())
        return render(request, "surveys/results/results.html", context, status=400)
    summary = result_summary(survey, filters, quality=True)
    results = survey_results(
        survey=survey, filters=filters, language=language, summary=summary,
        hidden_values=context["can_read_responses"],
    )  # fmt: skip
    responses = filtered_responses(survey, filters)
    context.update(results=results, charts=page_data.chart_data(results))
    counts = summary.quality if results["responses"] else {}
    context["quality"] = [(QUALITY_FLAGS[flag], n) for flag, n in counts.items()]
    context["chart_labels"] = {"count": _("Count"), "share": _("Share"),
                               "language": "en" if language == "en" else "zh"}  # fmt: skip
    if params.get("xa") or params.get("xb"):
        try:
            context["crosstab"] = crosstab(
                responses=responses, questions=questions, row_key=params.get("xa", ""),
                col_key=params.get("xb", ""), language=language,
            )  # fmt: skip
        except ResultsFilterError as exc:
            errors.update(exc.field_errors())
    try:
        other = page_data.comparison_filters(params, survey=survey, filters=filters)
    except ResultsFilterError as exc:
        errors.update(exc.field_errors())
        other = None
    if other is not None:
        second = survey_results(survey=survey, filters=other, language=language)
        context["comparison"] = {
            "responses": (results["responses"], second["responses"]),
            "rows": page_data.comparison_rows(results, second),
        }
    if context["can_read_responses"]:
        context["text_page"], context["text_rows"] = page_data.text_answers(
            responses, questions, search=params.get("search", ""), page=params.get("page", "1"),
            language=language,
        )  # fmt: skip
        context["other_texts"] = other_text_sections(params, responses, questions, language, errors)
    return render(request, "surveys/results/results.html", context, status=400 if errors else 200)


results_page = login_required(results_page)
