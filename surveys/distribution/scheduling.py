"""Periodic work of distributions: the scheduled sends, due reminders, the sending pace and the
sweeper of invitations left behind (broker down, worker died)."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from surveyhub.tasking.declare import enqueue_on_commit
from surveys.distribution.building import BUILD_TASK, distribution_queue_build
from surveys.distribution.invitations import (
    DistributionError,
    _enqueue_batch,
    distribution_cancel,
)
from surveys.distribution.mailing import reminders_due
from surveys.models import (
    Distribution,
    DistributionChannel,
    DistributionStatus,
    InvitationStatus,
)

logger = logging.getLogger(__name__)

# Periodic work ---------------------------------------------------------------------------


def distributions_send_due(*, now: datetime | None = None) -> list[int]:
    """Send the scheduled distributions whose time has come; return their ids.

    One whose survey can no longer take answers is cancelled (and logged) rather than
    retried every minute.
    """
    now = now or timezone.now()
    due = Distribution.objects.filter(status=DistributionStatus.SCHEDULED, send_at__lte=now)
    sent = []
    for distribution in due.order_by("send_at"):
        try:
            # The audience is (re)built in its own task, then sent: never 100,000 rows here.
            distribution_queue_build(distribution=distribution, send=True)
        except DistributionError as exc:
            logger.warning("scheduled distribution %s cancelled: %s", distribution.pk, exc.message)
            distribution_cancel(distribution=distribution, reason=exc.message)
        else:
            sent.append(distribution.pk)
    return sent


def distributions_with_reminders_due(*, now: datetime | None = None) -> list[int]:
    """Ids of distributions that have at least one reminder due now."""
    candidates = Distribution.objects.filter(
        status__in=(DistributionStatus.SENDING, DistributionStatus.SENT),
        channel=DistributionChannel.EMAIL,
        max_reminders__gt=0,
        reminder_after_days__isnull=False,
    )
    return [d.pk for d in candidates if reminders_due(distribution=d, now=now).exists()]


def batch_interval_seconds() -> float:
    """Seconds between the starts of two batches, from the configured sending rate."""
    return settings.SURVEYHUB_EMAIL_BATCH_SIZE * 60 / settings.SURVEYHUB_EMAILS_PER_MINUTE


STUCK_AFTER = timedelta(minutes=10)


def distributions_sweep(*, now: datetime | None = None) -> list[int]:
    """Re-queue distributions whose pending invitations saw no batch (or whose audience saw
    no build) for over 10 minutes (the broker was down, or a worker died); mark finished ones
    sent. Return re-queued ids."""
    now = now or timezone.now()
    stuck_after = max(STUCK_AFTER, timedelta(seconds=2 * batch_interval_seconds()))
    requeued = []
    for distribution_id in Distribution.objects.filter(
        status=DistributionStatus.BUILDING, queued_at__lt=now - stuck_after
    ).values_list("pk", flat=True):
        with transaction.atomic():
            Distribution.objects.filter(pk=distribution_id).update(queued_at=now)
            enqueue_on_commit(BUILD_TASK, distribution_id)
        requeued.append(distribution_id)
    for distribution in Distribution.objects.filter(
        status=DistributionStatus.SENDING, queued_at__lt=now - stuck_after
    ):
        if distribution.invitations.filter(status=InvitationStatus.PENDING).exists():
            with transaction.atomic():
                Distribution.objects.filter(pk=distribution.pk).update(queued_at=now)
                _enqueue_batch(distribution.pk)
            requeued.append(distribution.pk)
        else:
            Distribution.objects.filter(
                pk=distribution.pk, status=DistributionStatus.SENDING
            ).update(status=DistributionStatus.SENT)
    return requeued


def distribution_mark_queued(*, distribution_id: int) -> None:
    """Record that a batch of this distribution ran or was queued (read by the sweeper)."""
    Distribution.objects.filter(pk=distribution_id).update(queued_at=timezone.now())
