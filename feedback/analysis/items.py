"""Creating feedback items: from survey answers (the `response_submitted` signal), the API,
imports and the demo. The only code that inserts FeedbackItem rows."""

import datetime as dt
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feedback.analysis.queueing import analysis_enqueue_on_commit
from feedback.errors import FeedbackError
from feedback.models import FeedbackItem, FeedbackSource
from surveys.customers.services import customer_match
from surveys.models import Answer, Customer, QuestionType, Response, ResponseStatus, Survey

logger = logging.getLogger(__name__)

TEXT_QUESTION_TYPES = (QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT)
# Longer texts are refused at the door; analysis itself reads only the first 2,000 characters.
MAX_TEXT_CHARS = 20_000
# NUL cannot be stored in PostgreSQL text; lone surrogates cannot be encoded as UTF-8.
_UNSTORABLE_RE = re.compile(r"[\x00\ud800-\udfff]")


def storable_text(text: str) -> str:
    """The text without characters no database column can hold."""
    return _UNSTORABLE_RE.sub("", text)


def _answer_text(answer: Answer, question_type: str) -> str:
    if question_type in TEXT_QUESTION_TYPES:
        return answer.text.strip()
    return answer.other_text.strip()


def _items_for_answers(
    answers: Iterable[Answer], response: Response, enqueued_at: dt.datetime | None = None
) -> list[FeedbackItem]:
    items = []
    for answer in answers:
        text = storable_text(_answer_text(answer, answer.question.type))
        if text:
            items.append(
                FeedbackItem(
                    text=text,
                    source=FeedbackSource.SURVEY,
                    customer_id=response.customer_id,
                    survey_id=response.survey_id,
                    response_id=response.pk,
                    nps_score=response.nps_score,
                    answer_id=answer.pk,
                    question_key=answer.question_key,
                    created_at=response.completed_at or timezone.now(),
                    enqueued_at=enqueued_at,
                )
            )
    return items


def _text_answers():
    return Answer.objects.filter(
        Q(question__type__in=TEXT_QUESTION_TYPES, text__gt="") | Q(other_text__gt="")
    ).select_related("question")


def feedback_items_from_response(*, response_id: int) -> list[int]:
    """Create one item per non-empty free-text answer (and "other" text) of a completed
    response and queue their analysis; idempotent. Returns the ids of the items queued."""
    return feedback_items_from_responses(response_ids=[response_id])


def feedback_items_from_responses(*, response_ids: Iterable[int]) -> list[int]:
    """The same for many completed responses at once (an outbox chunk): two reads, one
    insert, and analysis queued in batches of the chunk's items rather than one task per
    response. Returns the ids of the items queued."""
    responses = {
        r.pk: r
        for r in Response.objects.filter(
            pk__in=list(response_ids), status=ResponseStatus.COMPLETED
        ).only("pk", "customer_id", "survey_id", "nps_score", "completed_at")
    }
    if not responses:
        return []
    answers = _text_answers().filter(response_id__in=list(responses), feedback_item__isnull=True)
    # Stamped as queued now (no UPDATE after sending); cleared again if the broker is down.
    now = timezone.now()
    items = [
        item
        for answer in answers.order_by("response_id", "pk")
        for item in _items_for_answers([answer], responses[answer.response_id], enqueued_at=now)
    ]
    if not items:
        return []
    try:
        with transaction.atomic():
            item_ids = [item.pk for item in FeedbackItem.objects.bulk_create(items)]
    except IntegrityError:
        # The signal arrived twice at the same time: the other delivery created some of them.
        if len(responses) == 1:
            return []
        return [pk for rid in responses for pk in feedback_items_from_responses(response_ids=[rid])]
    analysis_enqueue_on_commit(item_ids=item_ids, stamped=True)
    return item_ids


def feedback_items_for_completed_responses(
    *, completed_since: dt.datetime | None = None, batch_size: int = 2000
) -> int:
    """Create the missing items of completed responses (the signal's receiver failed, or the
    data never sent it, like the demo's bulk-created responses). No analysis is queued: the
    items wait, pending, for the sweeper. Returns how many were created."""
    created, cursor = 0, 0
    answers = (
        _text_answers()
        .filter(response__status=ResponseStatus.COMPLETED, feedback_item__isnull=True)
        .select_related("response")
        .order_by("pk")
    )
    if completed_since is not None:
        answers = answers.filter(response__completed_at__gte=completed_since)
    while batch := list(answers.filter(pk__gt=cursor)[:batch_size]):
        cursor = batch[-1].pk
        rows = [item for a in batch for item in _items_for_answers([a], a.response)]
        with transaction.atomic():
            FeedbackItem.objects.bulk_create(rows, ignore_conflicts=True)
        created += len(rows)
    return created


@dataclass(frozen=True)
class CustomerRef:
    """How an outside item names its customer; any of the three may be given."""

    external_id: str = ""
    phone: str = ""
    email: str = ""

    def __bool__(self) -> bool:
        return bool(self.external_id or self.phone or self.email)


def feedback_text_clean(text: object) -> str:
    """Validate text from outside (API, import); raise FeedbackError when it cannot be kept."""
    if not isinstance(text, str):
        raise FeedbackError(_("Expected text."), field="text")
    text = storable_text(text).strip()
    if not text:
        raise FeedbackError(_("The text is empty."), field="text")
    if len(text) > MAX_TEXT_CHARS:
        raise FeedbackError(
            _("The text is too long: at most %(max)s characters.") % {"max": MAX_TEXT_CHARS},
            field="text",
        )
    return text


def feedback_item_create(
    *,
    text: str,
    source: str = FeedbackSource.API,
    customer: Customer | None = None,
    customer_ref: CustomerRef | None = None,
    survey: Survey | None = None,
    external_ref: str = "",
    created_at: dt.datetime | None = None,
) -> tuple[FeedbackItem, bool]:
    """Store an item from another channel and queue its analysis; returns (item, created).

    The customer is the one given, or matched by external ID, then phone, then email.
    The same (source, external_ref) sent twice returns the first item.
    """
    text = feedback_text_clean(text)
    if source not in FeedbackSource.values:
        raise FeedbackError(_("Unknown source."), field="source")
    external_ref = (external_ref or "").strip()[:100]
    if external_ref:
        existing = FeedbackItem.objects.filter(source=source, external_ref=external_ref).first()
        if existing is not None:
            return existing, False
    if customer is None and customer_ref:
        customer = customer_match(
            external_id=customer_ref.external_id or None,
            phone=customer_ref.phone or None,
            email=customer_ref.email or None,
        )
    item = FeedbackItem(
        text=text,
        source=source,
        external_ref=external_ref,
        customer=customer,
        survey=survey,
        created_at=created_at or timezone.now(),
        enqueued_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            item.save()
            analysis_enqueue_on_commit(item_ids=[item.pk], stamped=True)
    except IntegrityError:
        existing = FeedbackItem.objects.filter(source=source, external_ref=external_ref).first()
        if not external_ref or existing is None:
            raise
        return existing, False
    return item, True


def feedback_items_bulk_create(*, items: list[FeedbackItem], enqueue: bool = True) -> list[int]:
    """Insert many prepared items at once (imports, demo); duplicates by external_ref are
    skipped. Queues analysis of the new ones on commit; returns their ids."""
    for item in items:
        item.text = feedback_text_clean(item.text)
    with transaction.atomic():
        refs = {i.external_ref for i in items if i.external_ref}
        taken = set(
            FeedbackItem.objects.filter(external_ref__in=refs).values_list("source", "external_ref")
        )
        fresh = []
        for item in items:
            key = (item.source, item.external_ref)
            if item.external_ref and key in taken:
                continue
            taken.add(key)
            fresh.append(item)
        created = FeedbackItem.objects.bulk_create(fresh, batch_size=1000)
        ids = [item.pk for item in created]
        if enqueue:
            analysis_enqueue_on_commit(item_ids=ids)
    return ids
