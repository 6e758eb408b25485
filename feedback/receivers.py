"""Listeners to other apps' signals (connected in FeedbackConfig.ready)."""

from feedback.analysis.items import feedback_items_from_responses


def create_feedback_items(sender, *, response_id: int, batched: bool = False, **kwargs) -> None:
    """A response was completed: turn its free-text answers into items and queue analysis.
    When the outbox announced it in a chunk, `create_feedback_items_for_chunk` did it."""
    if not batched:
        feedback_items_from_responses(response_ids=[response_id])


def create_feedback_items_for_chunk(sender, *, response_ids: list[int], **kwargs) -> None:
    """Responses were completed (an outbox chunk): their items in one insert, analysis queued
    in batches."""
    feedback_items_from_responses(response_ids=response_ids)
