"""Listeners to other apps' signals (connected in FeedbackConfig.ready)."""

from feedback.analysis.items import feedback_items_from_response


def create_feedback_items(sender, *, response_id: int, **kwargs) -> None:
    """A response was completed: turn its free-text answers into items and queue analysis."""
    feedback_items_from_response(response_id=response_id)
