"""The in-process scheduler (surveyhub/tasking/scheduler.py): the beat schedule run by the web
process when there is no broker (the embedded default)."""

import datetime as dt
import sqlite3

import pytest
from celery.schedules import crontab, schedule
from django.db import OperationalError

from surveyhub.tasking import scheduler as scheduler_module
from surveyhub.tasking.locks import is_lock_error, retry_when_locked
from surveyhub.tasking.scheduler import Job, Scheduler, jobs_from_beat_schedule
from surveys.models import Response
from tests.factories import published_survey


class Clock:
    """Wall clock and monotonic clock that a test moves by hand."""

    def __init__(self):
        self.wall = dt.datetime.now(dt.UTC)
        self.mono = 1000.0

    def advance(self, seconds: float) -> None:
        self.wall += dt.timedelta(seconds=seconds)
        self.mono += seconds


def _scheduler(jobs, run, clock):
    return Scheduler(jobs, run=run, clock=lambda: clock.wall, monotonic=lambda: clock.mono)


def _every(task: str, seconds: float) -> Job:
    return Job(task=task, schedule=_FixedSchedule(seconds))


class _FixedSchedule(schedule):
    """A celery interval schedule that reads the test's clock, not the real one."""

    clock: Clock

    def __init__(self, seconds):
        super().__init__(dt.timedelta(seconds=seconds))

    def now(self):
        return _FixedSchedule.clock.wall


@pytest.fixture
def clock():
    _FixedSchedule.clock = Clock()
    return _FixedSchedule.clock


def test_interval_jobs_run_at_start_then_at_their_interval_and_clock_jobs_wait(clock):
    ran = []
    nightly = Job(task="nightly", schedule=crontab(hour=4, minute=10))
    sched = _scheduler([_every("announce", 5), _every("sweep", 300), nightly], ran.append, clock)

    assert sched.tick() == ["announce", "sweep"]  # sweepers pick up what was left at start-up
    clock.advance(1)
    assert sched.tick() == []
    clock.advance(4.5)
    assert sched.tick() == ["announce"]
    clock.advance(300)
    assert sched.tick() == ["announce", "sweep"]
    assert ran == ["announce", "sweep", "announce", "announce", "sweep"]
    assert nightly.last_run is not None  # counted from start-up, as celery beat does
    nightly.last_run = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)  # its time has passed
    assert sched.tick() == ["nightly"]
    assert sched.tick() == []


def test_a_failing_job_is_logged_and_neither_stops_the_others_nor_its_own_next_run(clock, caplog):
    ran = []

    def run(task):
        ran.append(task)
        if task == "broken":
            raise ValueError("bug in a sweeper")

    broken = _every("broken", 5)
    sched = _scheduler([broken, _every("announce", 5)], run, clock)
    assert sched.tick() == ["broken", "announce"]
    assert "scheduled job broken failed" in caplog.text
    clock.advance(1)
    assert sched.tick() == []  # not retried at once: it runs again at its next time
    clock.advance(5)
    assert sched.tick() == ["broken", "announce"]
    assert (broken.failures, broken.runs) == (2, 0)


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("database is locked"),
        sqlite3.OperationalError("database is locked"),
        sqlite3.OperationalError("database table is locked"),
    ],
)
def test_a_lock_error_is_retried_on_the_next_tick_until_it_succeeds(clock, error):
    outcomes = [error, error, None]
    ran = []

    def run(task):
        ran.append(task)
        outcome = outcomes.pop(0)
        if outcome is not None:
            raise outcome

    sweep = _every("sweep", 300)
    sched = _scheduler([sweep], run, clock)
    assert sched.tick() == ["sweep"]
    assert sched.tick() == []  # waits one tick, not 300 s
    clock.advance(1)
    assert sched.tick() == ["sweep"]
    clock.advance(1)
    assert sched.tick() == ["sweep"]
    assert (sweep.failures, sweep.runs) == (2, 1)
    clock.advance(1)
    assert sched.tick() == []  # succeeded: back on its 300 s interval


def test_the_schedule_is_celery_beats_minus_the_worker_heartbeat():
    from surveyhub.celery import app

    tasks = {job.task for job in jobs_from_beat_schedule(app.conf.beat_schedule)}
    assert {
        "surveys.sweep_unannounced_responses",
        "feedback.sweep_unanalysed",
        "feedback.check_case_slas",
        "surveys.sweep_stuck_invitations",
        "surveys.poll_sms_receipts",
        "surveys.send_due_distributions",
        "analytics.sweep_pending_imports",
        "surveys.apply_retention",
    } <= tasks
    assert "surveyhub.record_heartbeat" not in tasks


def test_nothing_is_started_when_a_broker_runs_the_tasks(monkeypatch):
    monkeypatch.setattr(scheduler_module, "tasks_run_in_process", lambda: False)
    monkeypatch.setattr(scheduler_module, "_started", {})
    assert scheduler_module.start_in_process_scheduler({"x": {"task": "t", "schedule": 5}}) == []


@pytest.mark.django_db
def test_the_real_announce_sweeper_announces_a_response_left_behind(clock):
    survey = published_survey("transactional_nps")
    response = Response.objects.create(
        survey=survey, version=survey.current_version, status="completed", nps_score=2,
        completed_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )  # fmt: skip
    sched = _scheduler([_every("surveys.sweep_unannounced_responses", 5)],
                       scheduler_module.run_task_by_name, clock)  # fmt: skip
    assert sched.tick() == ["surveys.sweep_unannounced_responses"]
    response.refresh_from_db()
    assert response.announced_at is not None


def test_lock_errors_are_told_apart_from_other_database_errors():
    assert is_lock_error(OperationalError("database is locked"))
    try:
        try:
            raise sqlite3.OperationalError("database is locked")
        except sqlite3.OperationalError as raw:
            raise RuntimeError("wrapped") from raw
    except RuntimeError as wrapped:
        assert is_lock_error(wrapped)
    assert not is_lock_error(OperationalError("no such table: surveys_response"))
    assert not is_lock_error(ValueError("database is locked"))


def test_a_write_that_finds_the_database_locked_is_run_again():
    attempts = []

    def write():
        attempts.append(1)
        if len(attempts) < 3:
            raise OperationalError("database is locked")
        return "stored"

    assert retry_when_locked(write, sleep=lambda s: None) == "stored"
    assert len(attempts) == 3


def test_other_errors_and_a_lock_that_lasts_are_raised():
    def other():
        raise OperationalError("disk I/O error")

    with pytest.raises(OperationalError, match="disk I/O"):
        retry_when_locked(other, sleep=lambda s: None)
    calls = []

    def locked():
        calls.append(1)
        raise OperationalError("database is locked")

    with pytest.raises(OperationalError, match="locked"):
        retry_when_locked(locked, attempts=4, sleep=lambda s: None)
    assert len(calls) == 4


@pytest.mark.django_db
def test_a_real_sweeper_on_a_locked_database_is_retried_next_tick(clock, monkeypatch):
    """Through Celery's eager path, as the web process runs it."""
    from surveys.responding import tasks

    calls = []

    def locked(**kwargs):
        calls.append(1)
        raise OperationalError("database is locked")

    monkeypatch.setattr(tasks, "responses_unannounced", locked)
    job = _every("surveys.sweep_unannounced_responses", 300)
    sched = _scheduler([job], scheduler_module.run_task_by_name, clock)
    assert sched.tick() == [job.task]
    assert (job.failures, job.retry_at) == (1, clock.mono + 1)
    monkeypatch.setattr(tasks, "responses_unannounced", lambda **kwargs: [])
    clock.advance(1)
    assert sched.tick() == [job.task]
    assert (job.runs, job.retry_at) == (1, None)
    assert calls == [1]


def test_tests_and_management_commands_start_no_scheduler():
    """Only surveyhub/wsgi.py (runserver, gunicorn) starts it; the test process never does."""
    import threading

    assert not [t for t in threading.enumerate() if t.name.startswith("surveyhub-scheduler")]
