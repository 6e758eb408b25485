"""Connects the case rules to `surveys.signals.response_submitted` and, for the outbox's
chunks, `responses_submitted` (imported from FeedbackConfig.ready): a few indexed queries
for a chunk, and a case row only for an unhappy customer."""

from django.dispatch import receiver

from feedback.cases.opening import cases_open_for_responses
from feedback.cases.resurvey import case_resurvey_record, resurvey_answers
from surveys.signals import response_submitted, responses_submitted


@receiver(response_submitted, dispatch_uid="feedback.cases_for_response")
def open_cases_for_response(sender, *, response_id: int, batched: bool = False, **kwargs) -> None:
    """A re-survey answer goes onto its case; any other response runs the case rules (done
    by `open_cases_for_responses` when the outbox announced it in a chunk)."""
    if not batched:
        open_cases_for_responses(sender, response_ids=[response_id])


@receiver(responses_submitted, dispatch_uid="feedback.cases_for_responses")
def open_cases_for_responses(sender, *, response_ids: list[int], **kwargs) -> None:
    """Re-survey answers go onto their cases; the other responses run the case rules."""
    resurveys = resurvey_answers(response_ids=response_ids)
    for response_id in sorted(resurveys):
        case_resurvey_record(response_id=response_id)
    cases_open_for_responses(response_ids=[pk for pk in response_ids if pk not in resurveys])
