"""Reads for the respondent pages, the builder and the API."""

import uuid
from functools import lru_cache

from django.db.models import Count, Q, QuerySet

from surveys.distribution.tokens import hash_token
from surveys.models import Invitation, Question, Response, ResponseStatus, Survey


def survey_for_link(slug: str) -> Survey | None:
    return Survey.objects.select_related("current_version").filter(slug=slug).first()


def survey_for_submit() -> QuerySet[Survey]:
    """Only what accepting an answer needs: state, dates and the current version's consent."""
    return Survey.objects.select_related("current_version").only(
        "id", "slug", "status", "opens_at", "closes_at", "updated_at", "current_version__id",
        "current_version__number", "current_version__consent_text",
        "current_version__consent_id", "current_version__consent_en_id",
    )  # fmt: skip


# slug → survey, per process. Only for the public submit's single-statement path, whose INSERT
# re-checks that the survey is unchanged and open: a stale entry costs a retry, never a wrong
# answer. Bounded by clearing, since surveys are few.
_SUBMIT_CACHE: dict[str, Survey] = {}
SUBMIT_CACHE_SIZE = 1024


def survey_for_submit_cached(slug: str) -> Survey | None:
    """The survey behind a public submit, from the per-process cache when possible."""
    survey = _SUBMIT_CACHE.get(slug)
    if survey is None or survey.status != "active":
        survey = survey_for_submit().filter(slug=slug).first()
        if survey is not None:
            if len(_SUBMIT_CACHE) >= SUBMIT_CACHE_SIZE:
                _SUBMIT_CACHE.clear()
            _SUBMIT_CACHE[slug] = survey
    return survey


def survey_submit_cache_drop(slug: str) -> None:
    _SUBMIT_CACHE.pop(slug, None)


def draft_for_cookie(survey: Survey, cookie_value: str | None) -> Response | None:
    """The respondent's draft (or just-completed response) named by their cookie."""
    try:
        key = uuid.UUID(cookie_value or "")
    except ValueError:
        return None
    return (
        Response.objects.select_related("version").filter(survey=survey, respondent_key=key).first()
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
        .select_related("survey", "customer", "version", "consent_text")
        .prefetch_related("answers")
        .order_by("-completed_at")
    )


def current_questions(survey: Survey) -> tuple[Question, ...]:
    """The current version's questions, cached per process.

    Every change to questions goes through a service that saves the survey, which moves
    `updated_at`; it is part of the cache key, so a stale list is never served.
    """
    return _questions_of(survey.current_version_id, survey.updated_at.isoformat())


@lru_cache(maxsize=512)
def _questions_of(version_id: int, revision: str) -> tuple[Question, ...]:
    return tuple(Question.objects.filter(version_id=version_id).order_by("position", "id"))
