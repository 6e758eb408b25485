"""The "other" texts of a survey's choice questions (what respondents typed beside "Other"),
one paged list per question, newest first — free text: never for designers."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from surveys.models import Answer, Question, Response
from surveys.results.filters import CHOICE_TYPES
from surveys.results.labels import question_text

OTHER_PAGE_SIZE = 10
API_PAGE_SIZE = 50


def other_questions(questions: dict[str, Question]) -> dict[str, Question]:
    """The choice questions that offer "Other" with a text."""
    return {k: q for k, q in questions.items() if q.type in CHOICE_TYPES and q.allow_other}


def other_text_answers(responses: QuerySet[Response], key: str) -> QuerySet[Answer]:
    return (
        Answer.objects.filter(response_id__in=responses.values("pk"), question_key=key)
        .exclude(other_text="")
        .select_related("response")
        .order_by("-response__completed_at", "-pk")
    )


def other_text_counts(responses: QuerySet[Response], keys) -> dict[str, int]:
    rows = (
        Answer.objects.filter(response_id__in=responses.values("pk"), question_key__in=keys)
        .exclude(other_text="")
        .values_list("question_key")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


def other_text_page(responses, key: str, page, size: int = OTHER_PAGE_SIZE) -> Page:
    return Paginator(other_text_answers(responses, key), size).get_page(page)


def other_text_rows(page: Page) -> list[dict]:
    return [
        {"response": a.response_id, "text": a.other_text, "completed_at": a.response.completed_at}
        for a in page.object_list
    ]


def other_text_sections(params, responses, questions, language, errors) -> list[dict]:
    """Per choice question offering "Other": its texts, paged (`other`=key, `other_page`)."""
    offering = other_questions(questions)
    picked = params.get("other", "")
    if picked and picked not in offering:
        errors["other"] = [_("This survey has no choice question “%(key)s” with “Other”.")
                           % {"key": picked[:40]}]  # fmt: skip
    counts = other_text_counts(responses, list(offering))
    sections = []
    for key, question in offering.items():
        if not counts.get(key):
            continue
        page = other_text_page(
            responses, key, params.get("other_page", "1") if key == picked else 1
        )
        sections.append({
            "key": key, "text": question_text(question, language), "count": counts[key],
            "page": page, "rows": other_text_rows(page),
        })  # fmt: skip
    return sections
