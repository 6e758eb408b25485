"""Without CACHE_URL and with DEBUG off, the rate limits and the log-in throttle count in the
database (surveyhub/security/shared_cache.py), shared by every worker: the username lock
comes at the promised 5th wrong password and the submit limit after the promised 10th, even
when two processes take turns answering (issue 22: with per-process memory and 2 gunicorn
workers the lock came at the 8th and the submit limit at the 14th)."""

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from surveyhub.security.shared_cache import TABLE, SharedDatabaseCache
from tests.support import REPO_ROOT

# Settings the test sets itself; the rest of the environment (the tests' secret key) stays.
CLEARED = {"DATABASE_URL", "CACHE_URL", "CELERY_BROKER_URL", "DJANGO_DEBUG",
           "DJANGO_SETTINGS_MODULE", "SURVEYHUB_RATELIMIT_ENABLED"}  # fmt: skip

SETUP = """
import django
django.setup()
from surveys.models import Survey
from tests.factories import UserFactory, published_survey
UserFactory(username="shared-agent", password="the-right-password-1")
published_survey(slug="shared-nps")
"""

# One "gunicorn worker": answers each line of stdin (`login` or `submit`) through the whole
# Django stack, printing the status code.
WORKER = """
import json, sys, uuid, django
django.setup()
from django.conf import settings
from django.test import Client
settings.STORAGES = {  # no collectstatic here: plain static URLs, as in the test process
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
print(settings.CACHES["default"]["BACKEND"], flush=True)
client = Client()
for line in sys.stdin:
    if line.strip() == "login":
        reply = client.post("/accounts/login/", {"username": "shared-agent", "password": "wrong"})
    else:
        body = {"answers": {"nps": 9}, "consent": True, "submission_id": str(uuid.uuid4())}
        reply = client.post(
            "/api/v1/public/surveys/shared-nps/responses/", json.dumps(body),
            content_type="application/json", HTTP_X_DEVICE_ID="shared-device-1",
        )
    print(reply.status_code, flush=True)
"""


def production_env(tmp_path, **extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(
        DJANGO_SETTINGS_MODULE="surveyhub.settings",
        SURVEYHUB_SQLITE_PATH=str(tmp_path / "db.sqlite3"),
        SURVEYHUB_MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_LOG_LEVEL="ERROR",
        **extra,
    )
    return env


def run(args, env):
    result = subprocess.run(
        [sys.executable, *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result


class TwoWorkers:
    """Two processes with the same settings and database, taking turns."""

    def __init__(self, env):
        self.logs = [Path(env["SURVEYHUB_MEDIA_ROOT"]).parent / f"worker-{n}.log" for n in (1, 2)]
        self.procs = [
            subprocess.Popen(
                [sys.executable, "-c", WORKER],
                cwd=REPO_ROOT,
                env=env,
                text=True,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log.open("w"),
            )
            for log in self.logs
        ]
        self.backends = {proc.stdout.readline().strip() for proc in self.procs}
        self.turn = 0

    def send(self, kind: str) -> int:
        proc = self.procs[self.turn % 2]
        self.turn += 1
        proc.stdin.write(kind + "\n")
        proc.stdin.flush()
        line = proc.stdout.readline()
        assert line.strip().isdigit(), "\n".join(log.read_text()[-3000:] for log in self.logs)
        return int(line)

    def close(self):
        for proc in self.procs:
            proc.stdin.close()
            proc.wait(timeout=30)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """A migrated SQLite file with the user and the survey, made once for the module."""
    folder = tmp_path_factory.mktemp("shared-counters")
    env = production_env(folder)
    run(["manage.py", "migrate", "--noinput", "-v0"], env)
    run(["-c", SETUP], env)
    return folder / "db.sqlite3"


@pytest.fixture
def database(migrated, tmp_path):
    """A fresh copy of it for each test (no counter or lock left by another test)."""
    shutil.copy(migrated, tmp_path / "db.sqlite3")
    return tmp_path


def statuses(env, kind, count):
    workers = TwoWorkers(env)
    try:
        return workers.backends, [workers.send(kind) for _ in range(count)]
    finally:
        workers.close()


@pytest.mark.slow
def test_two_workers_share_the_counters_in_the_database(database):
    env = production_env(database)

    backends, logins = statuses(env, "login", 6)
    assert backends == {"surveyhub.security.shared_cache.SharedDatabaseCache"}
    assert logins == [200, 200, 200, 200, 429, 429]  # locked at the 5th wrong password

    _backends, submits = statuses(env, "submit", 12)
    assert submits[:10] == [201] * 10
    assert submits[10:] == [429, 429]  # the 11th answer within the minute is refused


@pytest.mark.slow
def test_per_process_memory_would_multiply_the_limits_by_the_workers(database):
    """What the fallback prevents (and so that the test above is known to fail without it):
    the same two workers, each counting in its own memory."""
    env = production_env(database, CACHE_URL="locmem://")

    backends, logins = statuses(env, "login", 6)
    assert backends == {"django.core.cache.backends.locmem.LocMemCache"}
    assert 429 not in logins


# The cache itself, on the test database (PostgreSQL in CI) ---------------------------------


@pytest.fixture
def shared_cache(db):
    cache = SharedDatabaseCache(TABLE, {"OPTIONS": {"MAX_ENTRIES": 50_000}})
    cache.clear()
    yield cache
    cache.clear()


def test_incr_keeps_the_expiry_of_the_counter(shared_cache):
    from django.db import connection

    shared_cache.add("counter", 0, 900)
    for _ in range(3):
        shared_cache.incr("counter")
    assert shared_cache.get("counter") == 3
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT expires FROM {TABLE}")  # noqa: S608 (a constant)
        (expires,) = cursor.fetchone()
    if isinstance(expires, str):  # SQLite without a converter
        expires = dt.datetime.fromisoformat(expires)
    if timezone.is_naive(expires):
        expires = timezone.make_aware(expires, dt.UTC)
    # Django's DatabaseCache.incr would have reset it to the default 300 s.
    assert expires > timezone.now() + timedelta(seconds=800)


def test_incr_of_a_missing_or_expired_counter_is_a_value_error(shared_cache):
    with pytest.raises(ValueError, match="not found"):
        shared_cache.incr("never-set")
    shared_cache.add("short", 0, 1)
    time.sleep(2.1)
    with pytest.raises(ValueError, match="not found"):
        shared_cache.incr("short")


COUNTER = """
import sys, django
django.setup()
from django.core.cache import cache
if sys.argv[1] == "start":
    cache.add("busy", 0, 300)
elif sys.argv[1] == "show":
    print(cache.get("busy"))
else:
    for _ in range(int(sys.argv[1])):
        cache.incr("busy")
"""


@pytest.mark.slow
def test_two_processes_counting_at_the_same_moment_lose_no_count(database):
    env = production_env(database)
    run(["-c", COUNTER, "start"], env)
    procs = [
        subprocess.Popen([sys.executable, "-c", COUNTER, "50"], cwd=REPO_ROOT, env=env)
        for _ in range(2)
    ]
    assert [proc.wait(timeout=120) for proc in procs] == [0, 0]
    assert run(["-c", COUNTER, "show"], env).stdout.strip() == "100"
