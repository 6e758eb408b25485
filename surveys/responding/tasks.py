"""Celery tasks of answering: the response outbox that tells the listeners (feedback, case
rules) about completed responses, in a worker or by the sweeper."""

import logging

from django.conf import settings

from surveyhub.tasking.declare import surveyhub_task
from surveyhub.tasking.queues import Queue
from surveys.responding.services import response_announce, responses_unannounced

logger = logging.getLogger(__name__)


@surveyhub_task(name="surveys.announce_response", queue=Queue.DEFAULT)
def announce_response(response_id: int) -> bool:
    """Tell the listeners of response_submitted (feedback items, case rules) in a worker."""
    return response_announce(response_id=response_id)


@surveyhub_task(
    name="surveys.sweep_unannounced_responses", queue=Queue.DEFAULT,
    expires=settings.SURVEYHUB_ANNOUNCE_SECONDS,
)  # fmt: skip
def sweep_unannounced_responses() -> int:
    """Beat, every few seconds: announce the completed responses not announced yet (the
    outbox of public submits). Listeners are idempotent, so an overlapping run is harmless."""
    announced = sum(
        response_announce(response_id=response_id) for response_id in responses_unannounced()
    )
    if announced:
        logger.info("announced %d responses", announced)
    return announced
