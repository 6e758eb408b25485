"""Celery tasks of privacy: the nightly retention run."""

import logging

from surveyhub.tasking.declare import surveyhub_task
from surveyhub.tasking.queues import Queue
from surveys.privacy.personal_data import retention_apply
from surveys.responding.uploads import files_unclaimed_delete

logger = logging.getLogger(__name__)


@surveyhub_task(name="surveys.apply_retention", queue=Queue.DEFAULT, expires=6 * 3600)
def apply_retention() -> dict[str, int]:
    """Beat, nightly: anonymise responses and feedback older than the admin's retention
    period, in committed batches (a rerun finds nothing left to do)."""
    done = retention_apply()
    logger.info("retention anonymised %s", done)
    # Uploads made ahead of a JSON submit that never came (surveys.responding.uploads).
    unclaimed = files_unclaimed_delete()
    if unclaimed:
        logger.info("deleted %s unclaimed uploads", unclaimed)
    return done
