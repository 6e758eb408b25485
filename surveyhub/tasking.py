"""How SurveyHub tasks are declared and enqueued.

Every task: acks late and is re-queued when its worker dies, so it must be
idempotent; retries transient database/broker errors with backoff; is enqueued
only after the surrounding transaction commits, and a broker that is down never
fails the caller — the work stays in the database for the sweepers.
"""

import logging
from collections.abc import Callable
from typing import Any

from celery import Task
from django.db import OperationalError, transaction
from kombu.exceptions import OperationalError as BrokerError

from surveyhub.celery import app
from surveyhub.queues import Queue

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OperationalError, BrokerError, ConnectionError)


class IdempotentTask(Task):
    """Base for every task: late acks, retry transient errors with exponential backoff."""

    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = TRANSIENT_ERRORS
    retry_backoff = 2
    retry_backoff_max = 300
    retry_jitter = True
    max_retries = 8


# Task name → queue, filled by @surveyhub_task and read by the router on every send.
TASK_QUEUES: dict[str, Queue] = {}


def route_to_declared_queue(name: str, args, kwargs, options, task=None, **kw) -> dict | None:
    """Celery router: send each task to the queue it was declared with."""
    queue = TASK_QUEUES.get(name)
    return {"queue": queue.value} if queue else None


def surveyhub_task(*, name: str, queue: Queue, **options: Any) -> Callable:
    """Declare a task with an explicit, stable name and queue (names are pinned by a test)."""
    TASK_QUEUES[name] = queue
    return app.task(name=name, base=IdempotentTask, **options)


def enqueue(task: Task, *args: Any, **kwargs: Any) -> bool:
    """Send a task now; return False (and log) instead of raising when the broker is down."""
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except Exception:  # the broker being down must never lose the caller's committed work
        logger.warning(
            "could not enqueue %s; the sweeper will pick it up", task.name, exc_info=True
        )
        return False
    return True


def enqueue_on_commit(task: Task, *args: Any, **kwargs: Any) -> None:
    """Send a task once the current transaction commits; never if it rolls back."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))
