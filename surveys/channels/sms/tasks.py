"""Celery tasks of the SMS channel (sending batches lives with the distributions' tasks)."""

import logging

from surveyhub.tasking.declare import surveyhub_task
from surveyhub.tasking.queues import Queue
from surveys.channels.sms.providers import SmsError
from surveys.channels.sms.receipt_polling import receipts_poll

logger = logging.getLogger(__name__)


@surveyhub_task(name="surveys.poll_sms_receipts", queue=Queue.EMAIL, expires=240)
def poll_sms_receipts() -> int:
    """Beat, every 5 minutes: delivery reports of SMS sends still without one, from the
    provider's query API. A provider error waits for the next run (nothing half-recorded)."""
    try:
        return receipts_poll()
    except SmsError as exc:
        logger.warning("polling SMS delivery reports failed, next run retries: %s", exc)
        return 0
