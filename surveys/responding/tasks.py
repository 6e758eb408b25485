"""Celery tasks of answering: the response outbox that tells the listeners (feedback, case
rules) about completed responses, in a worker or by the sweeper."""

import logging

from django.conf import settings

from surveyhub.tasking.declare import enqueue, surveyhub_task, tasks_run_in_process
from surveyhub.tasking.queues import Queue
from surveys.responding.outbox import (
    ANNOUNCE_CHUNK,
    response_announce,
    responses_announce,
    responses_lease,
    responses_unannounced,
)

logger = logging.getLogger(__name__)


@surveyhub_task(name="surveys.announce_response", queue=Queue.DEFAULT)
def announce_response(response_id: int) -> bool:
    """Tell the listeners of response_submitted (feedback items, case rules) in a worker."""
    return response_announce(response_id=response_id)


@surveyhub_task(name="surveys.announce_responses", queue=Queue.DEFAULT)
def announce_responses(response_ids: list[int]) -> int:
    """A chunk of the outbox handed out by the sweep: announce each in turn."""
    return responses_announce(response_ids)


@surveyhub_task(
    name="surveys.sweep_unannounced_responses", queue=Queue.DEFAULT,
    expires=settings.SURVEYHUB_ANNOUNCE_SECONDS,
)  # fmt: skip
def sweep_unannounced_responses() -> int:
    """Beat, every few seconds: announce the completed responses due in the outbox (public
    submits, and failed ones whose retry time has come). A response whose listener fails is
    recorded and skipped, never blocking the ones after it. With a broker the responses are
    shared out in chunks among the `default` workers' processes, each chunk leased so that
    the next tick does not send it again while it waits or runs; in-process they are announced
    here. Listeners are idempotent, so an overlap is harmless. Returns how many were
    announced here, or handed out."""
    response_ids = responses_unannounced()
    if tasks_run_in_process():
        announced = responses_announce(response_ids)
        if announced:
            logger.info("announced %d responses", announced)
        return announced
    responses_lease(response_ids)
    handed_out = 0
    for start in range(0, len(response_ids), ANNOUNCE_CHUNK):
        chunk = response_ids[start : start + ANNOUNCE_CHUNK]
        if not enqueue(announce_responses, chunk):
            break  # the broker is down: the lease runs out and a later sweep sends them
        handed_out += len(chunk)
    if handed_out:
        logger.info("handed %d responses out to announce", handed_out)
    return handed_out
