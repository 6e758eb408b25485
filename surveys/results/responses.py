"""The staff list of a survey's responses (the results' filters, search, paging) and the
page of one response: every answer with its labels, where it came from, its consent, the
customer's 360 link, and what feedback made of it (through the annotations registry)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from surveys.models import Answer, Response, ResponseStatus, Survey
from surveys.privacy.access_log import personal_data_listed, personal_data_viewed
from surveys.questions.words import file_url, stored_words
from surveys.results.access import can_read_responses
from surveys.results.annotations import response_extras
from surveys.results.filters import (
    QUALITY_FLAGS,
    ResultsFilterError,
    filtered_responses,
    parse_filters,
    survey_questions,
)
from surveys.results.labels import option_labels, question_text
from surveys.results.quality import response_flags
from surveys.results.views import filter_choices

PAGE_SIZE = 50
SEARCH_MAX = 100


def _survey_for_responses(request, pk) -> Survey:
    survey = get_object_or_404(Survey, pk=pk)
    if not can_read_responses(request.user):
        raise PermissionDenied
    return survey


@login_required
def response_list(request, pk):
    survey = _survey_for_responses(request, pk)
    language = get_language()
    questions = survey_questions(survey)
    params = request.GET
    context = {
        "survey": survey, "title": survey.title_in(language), "params": params, "errors": {},
        "exclude": params.getlist("exclude"),
        "answer_filters": [v for v in params.getlist("q") if v],
        "choices": filter_choices(survey, questions, language), "can_read_responses": True,
    }  # fmt: skip
    try:
        filters = parse_filters(
            params, survey=survey, extra=("search", "page"), questions=questions
        )
    except ResultsFilterError as exc:
        context["errors"] = exc.field_errors()
        return render(request, "surveys/results/responses.html", context, status=400)
    responses = filtered_responses(survey, filters)
    search = params.get("search", "").strip()[:SEARCH_MAX]
    if search:
        matching = Answer.objects.filter(
            Q(text__icontains=search) | Q(other_text__icontains=search)
        )
        by_id = Q(pk=int(search)) if search.isdigit() and len(search) < 18 else Q()
        responses = responses.filter(Q(pk__in=matching.values("response_id")) | by_id)
    responses = responses.select_related("customer", "version").order_by("-completed_at", "-pk")
    page = Paginator(responses, PAGE_SIZE).get_page(params.get("page"))
    personal_data_listed(
        request, resource="responses", count=sum(1 for r in page.object_list if r.customer_id),
        object_id=survey.pk,
    )  # fmt: skip
    context["page"] = page
    return render(request, "surveys/results/responses.html", context)


def answer_rows(response: Response, language: str) -> list[dict]:
    """Each answer with its question's text and the labels of the chosen options."""
    rows = []
    questions = survey_questions(response.survey)
    for answer in response.answers.select_related("question").order_by("question__position"):
        question = answer.question
        current = questions.get(answer.question_key, question)
        labels = option_labels(question, language)
        words = stored_words(question.type, answer.number, answer.text, answer.choices,
                             response.pk)  # fmt: skip
        if words is not None:  # slider, region, hidden field, file (surveys.questions.words)
            shown = words
        elif answer.number is not None:
            shown = str(answer.number)
        elif answer.choices:
            shown = "、".join(str(labels.get(c, c)) for c in answer.choices)
        else:
            shown = answer.text
        rows.append({
            "key": answer.question_key, "question": question_text(current, language),
            "type": question.get_type_display(), "value": shown, "other": answer.other_text,
            "file_url": file_url(response.pk, answer) if question.type == "file" else "",
        })  # fmt: skip
    return rows


@login_required
def response_detail(request, pk, response_id):
    survey = _survey_for_responses(request, pk)
    response = get_object_or_404(
        Response.objects.select_related(
            "survey", "version", "customer", "invitation__distribution", "consent_text"
        ),
        survey=survey, pk=response_id,
    )  # fmt: skip
    personal_data_viewed(
        request, resource="response", object_id=response.pk, customer_id=response.customer_id
    )
    language = get_language()
    duration = None
    if response.completed_at and response.started_at:
        duration = round((response.completed_at - response.started_at).total_seconds())
    return render(request, "surveys/results/response_detail.html", {
        **_device_and_flags(response),
        "survey": survey, "title": survey.title_in(language), "response": response,
        "answers": answer_rows(response, language), "duration": duration,
        "extras": response_extras(response.pk, request.user), "can_read_responses": True,
        "can_see_customer": request.user.has_perm("surveys.view_customer"),
    })  # fmt: skip


SAME_DEVICE_SHOWN = 10


def _device_and_flags(response: Response) -> dict:
    """The response's device (a short form of its key) with the other completed responses of
    the survey from it, and the quality flags it carries, in words."""
    same = []
    if response.device_key:
        same = list(
            Response.objects.filter(
                survey_id=response.survey_id, device_key=response.device_key,
                status=ResponseStatus.COMPLETED,
            )
            .exclude(pk=response.pk)
            .order_by("pk")
            .values_list("pk", flat=True)[:SAME_DEVICE_SHOWN]
        )  # fmt: skip
    flags = response_flags(response) if response.status == ResponseStatus.COMPLETED else []
    return {
        "device_short": response.device_key[:8],
        "same_device": same,
        "quality_flags": [QUALITY_FLAGS[flag] for flag in flags],
    }
