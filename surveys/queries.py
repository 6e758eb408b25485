"""Reads for the respondent pages, the builder and the API."""

import uuid

from django.db.models import Count, Q, QuerySet

from surveys.models import Invitation, Response, ResponseStatus, Survey
from surveys.tokens import hash_token


def survey_for_link(slug: str) -> Survey | None:
    return Survey.objects.select_related("current_version").filter(slug=slug).first()


def survey_for_preview(slug: str) -> Survey | None:
    return survey_for_link(slug)


def draft_for_cookie(survey: Survey, cookie_value: str | None) -> Response | None:
    """The respondent's draft (or just-completed response) named by their cookie."""
    try:
        key = uuid.UUID(cookie_value or "")
    except ValueError:
        return None
    return (
        Response.objects.select_related("version")
        .filter(survey=survey, respondent_key=key)
        .first()
    )


def invitation_by_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related(
            "distribution__survey__current_version", "customer", "response__version"
        )
        .filter(token_hash=hash_token(token))
        .first()
    )


def surveys_with_counts() -> QuerySet[Survey]:
    return Survey.objects.select_related("current_version").annotate(
        completed_count=Count("responses", filter=Q(responses__status=ResponseStatus.COMPLETED))
    )


def responses_for_api() -> QuerySet[Response]:
    return (
        Response.objects.filter(status=ResponseStatus.COMPLETED)
        .select_related("survey", "customer", "version")
        .prefetch_related("answers")
        .order_by("-completed_at")
    )
