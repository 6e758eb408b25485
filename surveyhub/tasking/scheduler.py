"""The beat schedule run inside the web process, for in-process mode (no broker).

With a broker, `celery beat` sends the periodic jobs (sweepers, nightly computations) to the
workers. Without one (the embedded default, `make run`) there is no beat, so the web process
runs the same schedule itself in a background thread: the sweepers then pick up whatever the
request's own after-commit work could not finish (e.g. the database was locked), exactly as
they do for a broker outage in production.

Started by the wiring (`surveyhub/wsgi.py`, i.e. runserver and gunicorn only — never tests,
management commands or workers) through `start_in_process_scheduler`. A job that fails is
logged and runs again at its next time; one that fails on a locked SQLite database is
retried on the next tick instead: never given up. With several web processes (gunicorn
workers) only the one holding the lock file runs the schedule.
"""

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from celery.schedules import crontab, maybe_schedule
from django.db import connections
from django.utils import timezone

from surveyhub.tasking.declare import task_named, tasks_run_in_process
from surveyhub.tasking.locks import is_lock_error

logger = logging.getLogger(__name__)

TICK_SECONDS = 1.0
# Beat jobs that make no sense without workers: the heartbeat says "a worker is alive".
NOT_IN_PROCESS = frozenset({"surveyhub.record_heartbeat"})


def run_task_by_name(name: str) -> Any:
    """Run the task of that pinned name here and now, as a plain call: errors are raised to
    the scheduler (which retries lock errors itself), and a sweeper every second logs nothing
    unless it did something."""
    return task_named(name)()


@dataclass
class Job:
    """One entry of the schedule: a task name and its celery schedule (seconds or crontab)."""

    task: str
    schedule: Any
    last_run: datetime | None = None
    retry_at: float | None = None  # monotonic time of a retry after a lock error
    runs: int = 0
    failures: int = 0

    def is_due(self, now: datetime, monotonic: float) -> bool:
        if self.retry_at is not None:
            return monotonic >= self.retry_at
        if self.last_run is None:
            if isinstance(self.schedule, crontab):  # clock-time jobs wait for their time,
                self.last_run = now  # as in celery beat
                return False
            return True  # sweepers run at start-up: they pick up what was left before
        return bool(self.schedule.is_due(self.last_run).is_due)


@dataclass
class Scheduler:
    """Runs due jobs, one after the other, on each tick. `run` runs a task by name."""

    jobs: list[Job]
    run: Callable[[str], Any] = run_task_by_name
    retry_seconds: float = TICK_SECONDS
    clock: Callable[[], datetime] = timezone.now
    monotonic: Callable[[], float] = time.monotonic
    stopped: threading.Event = field(default_factory=threading.Event)

    def tick(self) -> list[str]:
        """Run every job that is due now; return the names of those that ran."""
        ran = []
        for job in self.jobs:
            if self.stopped.is_set():
                break
            if job.is_due(self.clock(), self.monotonic()):
                self._run(job)
                ran.append(job.task)
        return ran

    def _run(self, job: Job) -> None:
        try:
            self.run(job.task)
        except Exception as error:  # a failing job must never stop the others or the thread
            job.failures += 1
            if is_lock_error(error):
                logger.warning("%s: database locked; retrying on the next tick", job.task)
                job.retry_at = self.monotonic() + self.retry_seconds
                return
            logger.exception("scheduled job %s failed; it runs again at its next time", job.task)
        else:
            job.runs += 1
        job.retry_at = None
        job.last_run = self.clock()

    def run_forever(self, *, lock_path: str | None = None) -> None:
        lock = None
        while not self.stopped.is_set():
            if lock_path and lock is None:
                lock = _try_lock(lock_path)
            if lock or not lock_path:
                self.tick()
                with contextlib.suppress(Exception):
                    connections.close_all()  # this thread's own connections only
            self.stopped.wait(TICK_SECONDS)


def jobs_from_beat_schedule(beat_schedule: Mapping[str, Mapping[str, Any]]) -> list[Job]:
    """The celery beat schedule (`app.conf.beat_schedule`) as jobs, minus worker-only ones."""
    return [
        Job(task=entry["task"], schedule=maybe_schedule(entry["schedule"]))
        for entry in beat_schedule.values()
        if entry["task"] not in NOT_IN_PROCESS
    ]


def _try_lock(path: str):
    """A non-blocking exclusive lock on `path` held for the life of the process, or None."""
    import fcntl

    handle = open(path, "a")  # noqa: SIM115 (kept open: closing it releases the lock)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    return handle


_started: dict[int, list[threading.Thread]] = {}
_start_lock = threading.Lock()


def start_in_process_scheduler(
    beat_schedule: Mapping[str, Mapping[str, Any]], *, lock_path: str | None = None
) -> list[threading.Thread]:
    """In in-process mode only, start (once per process) the threads that run the schedule:
    one for the interval jobs (the sweepers, every few seconds or minutes) and one for the
    clock-time jobs (nightly computations), so that a long nightly job never holds up the
    sweepers. Returns the threads (none with a broker: celery beat does this there)."""
    if not tasks_run_in_process():
        return []
    with _start_lock:
        if os.getpid() in _started:
            return _started[os.getpid()]
        jobs = jobs_from_beat_schedule(beat_schedule)
        lanes: list[tuple[str, list[Job]]] = [
            ("sweepers", [j for j in jobs if not isinstance(j.schedule, crontab)]),
            ("nightly", [j for j in jobs if isinstance(j.schedule, crontab)]),
        ]
        threads = []
        for lane, lane_jobs in lanes:
            if not lane_jobs:
                continue
            path = f"{lock_path}.{lane}" if lock_path else None
            thread = threading.Thread(
                target=Scheduler(lane_jobs).run_forever,
                kwargs={"lock_path": path},
                name=f"surveyhub-scheduler-{lane}",
                daemon=True,
            )
            thread.start()
            threads.append(thread)
        _started[os.getpid()] = threads
        logger.info("in-process scheduler started: %s jobs", sum(len(j) for _, j in lanes))
        return threads


__all__ = ["Job", "Scheduler", "jobs_from_beat_schedule", "start_in_process_scheduler"]
