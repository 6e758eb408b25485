"""What `feedback` holds about a person — feedback items, cases with their notes, replies and
events — for the export, erasure and retention of surveys.privacy.personal_data."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q

from feedback.models import (
    Case,
    CaseEvent,
    CaseNote,
    CaseReply,
    FeedbackAspect,
    FeedbackItem,
    SentimentCorrection,
)
from surveys.privacy.personal_data import (
    ERASED_TEXT,
    PersonalDataHandler,
    admin_log_forget,
    iso,
    register_personal_data,
)

# Keys of case events that can hold an address or a mail server's message about it.
EVENT_PERSONAL_KEYS = ("to", "error")


def _of_person(ids: list[int]) -> Q:
    """Records of the person directly, or through a response they gave."""
    return Q(customer__in=ids) | Q(response__customer__in=ids)


def _items_of(ids: list[int]):
    return FeedbackItem.objects.filter(_of_person(ids))


def _cases_of(ids: list[int]):
    return Case.objects.filter(_of_person(ids)).distinct()


def feedback_export(ids: list[int]) -> list[dict]:
    items = _items_of(ids).prefetch_related("topic_links__topic", "aspects").order_by("created_at")
    return [
        {
            "id": item.pk,
            "text": item.text,
            "source": item.source,
            "external_ref": item.external_ref,
            "survey_id": item.survey_id,
            "response_id": item.response_id,
            "question": item.question_key,
            "created_at": iso(item.created_at),
            "sentiment": {"score": item.sentiment_score, "label": item.sentiment_label},
            "keywords": item.keywords,
            "topics": [link.topic.name for link in item.topic_links.all()],
            "aspects": [{"aspect": a.aspect, "label": a.label} for a in item.aspects.all()],
        }
        for item in items.distinct()
    ]


def cases_export(ids: list[int]) -> list[dict]:
    cases = (
        _cases_of(ids)
        .select_related("assignee", "resolution_reason")
        .prefetch_related("notes__author", "replies__author", "events")
        .order_by("created_at")
    )
    return [
        {
            "id": case.pk,
            "status": case.status,
            "priority": case.priority,
            "opened_because": case.triggers,
            "opened_at": iso(case.created_at),
            "first_response_at": iso(case.first_response_at),
            "resolved_at": iso(case.resolved_at),
            "resolution_reason": str(case.resolution_reason or ""),
            "assignee": case.assignee.get_username() if case.assignee else None,
            "notes": [
                {
                    "kind": note.kind,
                    "text": note.text,
                    "by": note.author.get_username() if note.author else None,
                    "at": iso(note.created_at),
                }
                for note in case.notes.all()
            ],
            "replies": [
                {
                    "to": reply.to_email,
                    "subject": reply.subject,
                    "body": reply.body,
                    "status": reply.status,
                    "sent_at": iso(reply.sent_at),
                    "by": reply.author.get_username() if reply.author else None,
                }
                for reply in case.replies.all()
            ],
            "events": [
                {"kind": e.kind, "at": iso(e.created_at), "after": e.after}
                for e in case.events.all()
            ],
        }
        for case in cases
    ]


def _items_anonymise(items) -> int:
    """Text and the external reference go; sentiment, topics and aspect labels stay for the
    trends."""
    ids = list(items.values_list("pk", flat=True))
    admin_log_forget(FeedbackItem, ids)
    FeedbackAspect.objects.filter(item__in=ids).update(clause="")
    SentimentCorrection.objects.filter(item__in=ids).update(text=ERASED_TEXT)
    # The external reference (a marketplace message or ticket number) leads back to the author.
    return FeedbackItem.objects.filter(pk__in=ids).update(
        text=ERASED_TEXT, text_normalized="", keywords=[], analysis_error="", external_ref=""
    )


def feedback_erase(ids: list[int]) -> int:
    return _items_anonymise(_items_of(ids))


def feedback_retain(cutoff: datetime, limit: int) -> int:
    """Expired items lose their author and text (a batch of `limit`; idempotent)."""
    expired = (
        FeedbackItem.objects.filter(created_at__lt=cutoff)
        .filter(Q(customer__isnull=False) | ~Q(text=ERASED_TEXT))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    batch = FeedbackItem.objects.filter(pk__in=list(expired))
    count = batch.count()
    _items_anonymise(batch)
    batch.update(customer=None)
    return count


def cases_erase(ids: list[int]) -> int:
    """Cases stay (service metrics), their words about and to the person go. Case events are
    append-only for staff; erasure is the one writer allowed to scrub them."""
    cases = list(_cases_of(ids).values_list("pk", flat=True))
    changed = CaseNote.objects.filter(case__in=cases).update(text=ERASED_TEXT)
    changed += CaseReply.objects.filter(case__in=cases).update(
        to_email="", subject=ERASED_TEXT, body=ERASED_TEXT, last_error=""
    )
    scrubbed = 0
    for event in CaseEvent.objects.filter(case__in=cases).only("pk", "after", "before"):
        keys = [(data, key) for data in (event.after, event.before) for key in data
                if key in EVENT_PERSONAL_KEYS]  # fmt: skip
        if not keys:
            continue
        for data, key in keys:
            data[key] = ERASED_TEXT
        # QuerySet.update: CaseEvent.save() refuses changes by design.
        CaseEvent.objects.filter(pk=event.pk).update(after=event.after, before=event.before)
        scrubbed += 1
    return changed + scrubbed


def register_personal_data_handlers() -> None:
    """Called from FeedbackConfig.ready()."""
    register_personal_data(
        PersonalDataHandler(
            key="feedback",
            order=40,
            export=feedback_export,
            erase=feedback_erase,
            retain=feedback_retain,
        )
    )
    register_personal_data(
        PersonalDataHandler(key="cases", order=50, export=cases_export, erase=cases_erase)
    )
