"""Connects the case rules to `surveys.signals.response_submitted` (imported from
FeedbackConfig.ready). Runs on commit in the respondent's request, so it stays cheap:
a few indexed queries, and a case row only for an unhappy customer."""

from django.dispatch import receiver

from feedback.cases.opening import cases_open_for_response
from feedback.cases.resurvey import case_resurvey_record
from surveys.signals import response_submitted


@receiver(response_submitted, dispatch_uid="feedback.cases_for_response")
def open_cases_for_response(sender, *, response_id: int, **kwargs) -> None:
    """A re-survey answer goes onto its case; any other response runs the case rules."""
    if case_resurvey_record(response_id=response_id) is None:
        cases_open_for_response(response_id=response_id)
