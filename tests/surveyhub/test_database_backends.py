import os
import subprocess
import sys

from django.db import connection

from tests.support import REPO_ROOT


def test_the_suite_runs_on_the_database_that_database_url_names():
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected


def test_a_fresh_sqlite_database_migrates_and_passes_checks(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env["SURVEYHUB_SQLITE_PATH"] = str(tmp_path / "fresh.sqlite3")
    for command in (["migrate", "--noinput", "-v0"], ["check"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "fresh.sqlite3").stat().st_size > 0
