"""How SurveyHub tasks are declared and enqueued.

Services enqueue by the task's pinned name (`enqueue_on_commit("feedback.analyse_batch", …)`)
and never import a task module, so a wing's tasks can import its services without a circle.

Every task: acks late and is re-queued when its worker dies, so it must be
idempotent; retries transient database/broker errors with backoff; is enqueued
only after the surrounding transaction commits, and a broker that is down never
fails the caller — the work stays in the database for the sweepers.
"""

import logging
import threading
from collections.abc import Callable
from typing import Any

from celery import Task, current_app, shared_task
from django.db import OperationalError, transaction
from kombu.exceptions import OperationalError as BrokerError

from surveyhub.tasking.queues import Queue

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
    return shared_task(name=name, base=IdempotentTask, **options)


_discovery_lock = threading.Lock()


def task_named(name: str) -> Task:
    """The registered task of that pinned name (task modules are imported on first use).

    Under a lock: the first requests of a threaded server arrive together, and a thread that
    finds the discovery already begun by another must wait for it, not see no task yet."""
    tasks = current_app.tasks
    if name not in tasks:
        with _discovery_lock:
            if name not in tasks:
                current_app.loader.import_default_modules()  # the wiring's autodiscovery
    return tasks[name]


def tasks_run_in_process() -> bool:
    """True without a broker (the embedded default, tests): tasks run in the caller."""
    return bool(current_app.conf.task_always_eager)


def enqueue(task: Task | str, *args: Any, **kwargs: Any) -> bool:
    """Send a task (or the task of that name) now; return False (and log) instead of raising
    when the broker is down."""
    if isinstance(task, str):
        task = task_named(task)  # an unknown name is a bug: raise, never log it as an outage
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except Exception:  # the broker being down must never lose the caller's committed work
        logger.warning(
            "could not enqueue %s; the sweeper will pick it up",
            task.name,
            exc_info=True,
        )
        return False
    return True


def enqueue_on_commit(task: Task | str, *args: Any, **kwargs: Any) -> None:
    """Send a task once the current transaction commits; never if it rolls back."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))
