"""What `surveys` holds about a person: the profile, responses and answers, invitations
(the emails sent) and the access log. Registered in SurveysConfig.ready()."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.utils import timezone

from surveys.distribution.tokens import hash_token, new_seed, token_for
from surveys.models import (
    Answer,
    Customer,
    Distribution,
    Invitation,
    PersonalDataAccess,
    Response,
    ResponseFile,
)
from surveys.privacy.consent import consent_summary
from surveys.privacy.personal_data import (
    ERASED_TEXT,
    PersonalDataHandler,
    iso,
    register_personal_data,
)


def profile_export(ids: list[int]) -> list[dict]:
    customers = Customer.objects.filter(pk__in=ids).prefetch_related("tags").order_by("pk")
    return [
        {
            "id": c.pk,
            "external_id": c.external_id,
            "name": c.name,
            "email": c.email,
            "phone": c.phone,
            "region": c.region,
            "language": c.language,
            "tags": [tag.name for tag in c.tags.all()],
            "attributes": c.attributes,
            "consent": c.consent,
            "unsubscribed": c.unsubscribed,
            "unsubscribed_at": iso(c.unsubscribed_at),
            "merged_into": c.merged_into_id,
            "created_at": iso(c.created_at),
            "updated_at": iso(c.updated_at),
        }
        for c in customers
    ]


def responses_export(ids: list[int]) -> list[dict]:
    responses = (
        Response.objects.filter(customer__in=ids)
        .select_related("survey", "version", "consent_text")
        .prefetch_related("answers__question")
        .order_by("started_at", "pk")
    )
    return [
        {
            "id": r.pk,
            "survey": r.survey.title,
            "survey_id": r.survey_id,
            "version": r.version.number,
            "channel": r.channel,
            "store": r.store,
            "source": r.source,
            "language": r.language,
            "status": r.status,
            "started_at": iso(r.started_at),
            "completed_at": iso(r.completed_at),
            "nps_score": r.nps_score,
            "csat_score": r.csat_score,
            "ces_score": r.ces_score,
            "consent": consent_summary(r),
            "answers": [
                {
                    "question": a.question_key,
                    "question_text": a.question.text,
                    "number": a.number,
                    "text": a.text,
                    "choices": a.choices,
                    "other_text": a.other_text,
                }
                for a in r.answers.all()
            ],
        }
        for r in responses
    ]


def invitations_export(ids: list[int]) -> list[dict]:
    invitations = (
        Invitation.objects.filter(customer__in=ids)
        .select_related("distribution__survey")
        .order_by("created_at", "pk")
    )
    return [
        {
            "id": i.pk,
            "distribution": str(i.distribution),
            "survey": i.distribution.survey.title,
            "channel": i.distribution.channel,
            "status": i.status,
            "skip_reason": i.skip_reason,
            "language": i.language,
            "created_at": iso(i.created_at),
            "sent_at": iso(i.sent_at),
            "opened_at": iso(i.opened_at),
            "bounced_at": iso(i.bounced_at),
            "reminders_sent": i.reminders_sent,
            "last_reminded_at": iso(i.last_reminded_at),
        }
        for i in invitations
    ]


def access_log_export(ids: list[int]) -> list[dict]:
    entries = PersonalDataAccess.objects.filter(customer_id__in=ids).order_by("created_at", "pk")
    return [
        {
            "at": iso(e.created_at),
            "by": e.username,
            "action": e.action,
            "channel": e.channel,
            "resource": e.resource,
            "object_id": e.object_id,
        }
        for e in entries
    ]


def _answers_text_erase(responses) -> int:
    # Uploaded files can show anything about the person: they go with the free text.
    ResponseFile.objects.filter(response__in=responses).delete()
    answers = Answer.objects.filter(response__in=responses)
    changed = answers.exclude(text="").exclude(text=ERASED_TEXT).update(text=ERASED_TEXT)
    changed += (
        answers.exclude(other_text="")
        .exclude(other_text=ERASED_TEXT)
        .update(other_text=ERASED_TEXT)
    )
    return changed


def _responses_anonymise(responses: list[Response], **changes) -> None:
    now = timezone.now()
    for response in responses:
        # A new draft key: the respondent's cookie no longer opens the response.
        response.respondent_key = uuid.uuid4()
        response.source = {}
        response.anonymised_at = now
        for name, value in changes.items():
            setattr(response, name, value)
    fields = ["respondent_key", "source", "anonymised_at", *changes]
    Response.objects.bulk_update(responses, fields, batch_size=500)


def responses_erase(ids: list[int]) -> int:
    """Free text and the draft key go; scores stay (and move with the person's other records
    to a new anonymous customer key once every handler has run)."""
    responses = list(Response.objects.filter(customer__in=ids).only("pk"))
    changed = _answers_text_erase(responses)
    _responses_anonymise(responses)
    return changed + len(responses)


def responses_retain(cutoff: datetime, limit: int) -> int:
    """Expired responses lose their respondent (customer, invitation) and free text."""
    responses = list(
        Response.objects.filter(anonymised_at__isnull=True, started_at__lt=cutoff)
        .only("pk")
        .order_by("pk")[:limit]
    )
    _answers_text_erase(responses)
    _responses_anonymise(responses, customer=None, invitation=None)
    return len(responses)


def invitations_erase(ids: list[int]) -> int:
    """Delivery counts stay; the personal link stops working and errors naming the address
    go. The address itself lived only on the customer row."""
    invitations = list(Invitation.objects.filter(customer__in=ids).only("pk"))
    for invitation in invitations:
        invitation.token_seed = new_seed()
        invitation.token_hash = hash_token(token_for(invitation.token_seed))
        invitation.last_error = ""
    Invitation.objects.bulk_update(
        invitations, ["token_seed", "token_hash", "last_error"], batch_size=500
    )
    return len(invitations)


def audiences_erase(ids: list[int]) -> int:
    """Audiences picked by id list keep working; an external ID typed into one is removed."""
    external_ids = set(
        Customer.objects.filter(pk__in=ids, external_id__isnull=False).values_list(
            "external_id", flat=True
        )
    )
    changed = 0
    if not external_ids:
        return changed
    for distribution in Distribution.objects.filter(audience__has_key="external_ids"):
        listed = distribution.audience.get("external_ids") or []
        kept = [value for value in listed if value not in external_ids]
        if len(kept) != len(listed):
            distribution.audience = {**distribution.audience, "external_ids": kept}
            distribution.save(update_fields=["audience"])
            changed += 1
    return changed


def register_personal_data_handlers() -> None:
    """Called from SurveysConfig.ready()."""
    for handler in (
        # The profile itself is emptied by personal_data_erase once every handler has run.
        PersonalDataHandler(key="profile", order=10, export=profile_export),
        PersonalDataHandler(
            key="responses",
            order=20,
            export=responses_export,
            erase=responses_erase,
            retain=responses_retain,
        ),
        PersonalDataHandler(
            key="invitations", order=25, export=invitations_export, erase=invitations_erase
        ),
        # Not exported (it is how staff picked people, not data about the person).
        PersonalDataHandler(key="audiences", order=26, erase=audiences_erase),
        # Kept on erasure: it names the customer only by id, and proves the erasure happened.
        PersonalDataHandler(key="access_log", order=90, export=access_log_export),
    ):
        register_personal_data(handler)
