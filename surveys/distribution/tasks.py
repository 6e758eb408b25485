"""Celery tasks of the surveys app: thin wrappers that take ids and call the services.

Invitations go out on the `email` queue, one batch per task run; a batch queues the next
one after the interval the configured rate allows (SURVEYHUB_EMAIL_BATCH_SIZE,
SURVEYHUB_EMAILS_PER_MINUTE), so no message waits in the broker with a long ETA. Each
email is sent under a row lock only while its invitation is pending, so a task delivered
twice never mails anyone twice. Temporary SMTP failures retry the task with backoff.
"""

import logging
import time
from collections.abc import Callable

from django.conf import settings

from surveyhub.tasking.declare import TRANSIENT_ERRORS, enqueue, surveyhub_task
from surveyhub.tasking.queues import Queue
from surveys.channels.sms import sending as sms_sending
from surveys.distribution import building, mailing, scheduling
from surveys.models import Distribution, DistributionChannel

logger = logging.getLogger(__name__)

EMAIL_RETRY = (*TRANSIENT_ERRORS, mailing.EmailTemporarilyFailed, sms_sending.SmsTemporarilyFailed)


def _run_batches(task, distribution_id: int, run: Callable[[Distribution], object]) -> None:
    distribution = Distribution.objects.filter(pk=distribution_id).first()
    if distribution is None:
        logger.info("%s: distribution %s no longer exists", task.name, distribution_id)
        return
    while True:
        started = time.monotonic()
        scheduling.distribution_mark_queued(distribution_id=distribution_id)
        result = run(distribution)
        logger.info("%s distribution=%s %s", task.name, distribution_id, result.outcomes)
        if not result.more:
            return
        if task.request.is_eager:
            continue  # in-process (no broker): finish here, the rate only applies to workers
        wait = scheduling.batch_interval_seconds() - (time.monotonic() - started)
        try:
            task.apply_async(args=(distribution_id,), countdown=max(0.0, wait))
        except Exception:  # broker down: the sweeper re-queues the pending invitations
            logger.warning("could not queue the next batch of %s", distribution_id, exc_info=True)
        return


@surveyhub_task(
    name="surveys.send_distribution_batch", queue=Queue.EMAIL, bind=True,
    autoretry_for=EMAIL_RETRY, max_retries=10,
)  # fmt: skip
def send_distribution_batch(self, distribution_id: int) -> None:
    """Mail (or text, for an SMS distribution) the next batch of a distribution's pending
    invitations, then queue the next."""
    _run_batches(self, distribution_id, _send_batch)


def _send_batch(distribution: Distribution):
    limit = settings.SURVEYHUB_EMAIL_BATCH_SIZE
    if distribution.channel == DistributionChannel.SMS:
        return sms_sending.distribution_send_sms_batch(distribution=distribution, limit=limit)
    return mailing.distribution_send_batch(distribution=distribution, limit=limit)


@surveyhub_task(
    name="surveys.send_reminder_batch", queue=Queue.EMAIL, bind=True,
    autoretry_for=EMAIL_RETRY, max_retries=10,
)  # fmt: skip
def send_reminder_batch(self, distribution_id: int) -> None:
    """Mail the next batch of a distribution's due reminders, then queue the next."""
    _run_batches(
        self,
        distribution_id,
        lambda d: mailing.distribution_remind(
            distribution=d, limit=settings.SURVEYHUB_EMAIL_BATCH_SIZE
        ),
    )


@surveyhub_task(name="surveys.build_distribution_audience", queue=Queue.DEFAULT)
def build_distribution_audience(distribution_id: int) -> str:
    """Turn a distribution's audience into invitations, then ready, schedule or send it."""
    return building.distribution_build(distribution_id=distribution_id)


@surveyhub_task(name="surveys.send_due_distributions", queue=Queue.DEFAULT, expires=55)
def send_due_distributions() -> list[int]:
    """Beat, every minute: send the scheduled distributions whose time has come."""
    return scheduling.distributions_send_due()


@surveyhub_task(name="surveys.send_due_reminders", queue=Queue.DEFAULT, expires=3000)
def send_due_reminders() -> list[int]:
    """Beat, hourly: queue the reminders that are due, one batch chain per distribution."""
    due = scheduling.distributions_with_reminders_due()
    for distribution_id in due:
        enqueue(send_reminder_batch, distribution_id)
    return due


@surveyhub_task(name="surveys.sweep_stuck_invitations", queue=Queue.DEFAULT, expires=240)
def sweep_stuck_invitations() -> list[int]:
    """Beat, every 5 minutes: re-queue distributions whose pending invitations were
    left behind for over 10 minutes (broker down, worker died)."""
    requeued = scheduling.distributions_sweep()
    if requeued:
        logger.warning("re-queued stuck distributions %s", requeued)
    return requeued
