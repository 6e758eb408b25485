"""The re-survey after resolution: a one-question CSAT ("问题解决得满意吗？") mailed through
the surveys app's own distribution services; the answer comes back through
`response_submitted` and is stored on its case."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from feedback.cases.events import case_event_add
from feedback.models.cases import Case
from surveys.design.services import survey_create, survey_publish
from surveys.distribution.invitations import distribution_create, distribution_send
from surveys.errors import SurveyError
from surveys.models import InvitationStatus, Response, ResponseStatus, Survey, SurveyKind

RESURVEY_SLUG = "case-resurvey"


def resurvey_survey():
    """The one-question CSAT survey sent after resolution (created and published once)."""
    survey = Survey.objects.filter(slug=RESURVEY_SLUG).first()
    if survey is not None:
        return survey
    survey = survey_create(
        slug=RESURVEY_SLUG, kind=SurveyKind.CSAT,
        title="问题解决回访", title_en="Follow-up on your issue",
        questions=[{
            "key": "csat", "type": "csat", "required": True,
            "text": "问题解决得满意吗？",
            "text_en": "Are you satisfied with how your issue was resolved?",
        }],
    )  # fmt: skip
    return survey_publish(survey=survey)


def resurvey_send(*, case: Case, by) -> None:
    """Mail the customer the re-survey through a one-customer email distribution."""
    customer = case.customer
    if customer is None or not customer.email:
        case_event_add(case, "resurvey_skipped", by=by, after={"why": "no_email"})
        return
    try:
        distribution = distribution_create(
            survey=resurvey_survey(), channel="email",
            audience={"customer_ids": [customer.pk]},
            name=f"Case #{case.pk} re-survey", by=by, follows_up_contact=True,
        )  # fmt: skip
        distribution = distribution_send(distribution=distribution, by=by)
    except SurveyError as exc:
        case_event_add(case, "resurvey_skipped", by=by, after={"why": str(exc)})
        return
    invitation = distribution.invitations.first()
    case.resurvey_distribution, case.resurvey_sent_at = distribution, timezone.now()
    case.save(update_fields=["resurvey_distribution", "resurvey_sent_at", "updated_at"])
    if invitation is None or invitation.status == InvitationStatus.SKIPPED:
        why = invitation.skip_reason if invitation else "no_invitation"
        case_event_add(case, "resurvey_skipped", by=by, after={"why": why})
    else:
        case_event_add(case, "resurvey_sent", by=by, after={"distribution": distribution.pk})


def case_resurvey_record(*, response_id: int) -> Case | None:
    """If a completed response answers a case's re-survey, store its CSAT on the case."""
    row = (
        Response.objects.filter(
            pk=response_id, status=ResponseStatus.COMPLETED, invitation__isnull=False
        )
        .values("invitation__distribution_id", "csat_score")
        .first()
    )
    if row is None:
        return None
    with transaction.atomic():
        case = (
            Case.objects.select_for_update()
            .filter(resurvey_distribution_id=row["invitation__distribution_id"])
            .first()
        )
        if case is None or case.resurvey_response_id == response_id:
            return case
        case.resurvey_response_id, case.resurvey_score = response_id, row["csat_score"]
        case.save(update_fields=["resurvey_response", "resurvey_score", "updated_at"])
        case_event_add(case, "resurvey_answered", after={"csat": row["csat_score"]})
    return case


def resurvey_answers(*, response_ids: Iterable[int]) -> set[int]:
    """Those of the completed responses that answer a case's re-survey (one query for a
    chunk of the outbox)."""
    resurveys = Case.objects.filter(resurvey_distribution__isnull=False).values(
        "resurvey_distribution"
    )
    return set(
        Response.objects.filter(
            pk__in=list(response_ids),
            status=ResponseStatus.COMPLETED,
            invitation__distribution__in=resurveys,
        ).values_list("pk", flat=True)
    )
