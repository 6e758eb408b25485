"""The benchmarks' own PostgreSQL databases: each script keeps its data in a database of
its own name (kept between runs unless rebuilt), with Django set up on it and migrated."""

from __future__ import annotations

import os
import subprocess

PSQL = ["-h", "127.0.0.1", "-U", "postgres"]


def database_url(name: str) -> str:
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def ensure_database(name: str, *, rebuild: bool = False) -> None:
    """Create the database `name` if it is missing (dropped first with `rebuild`)."""
    if rebuild:
        subprocess.run(["dropdb", "--if-exists", *PSQL, name], check=True)
    exists = subprocess.run(
        ["psql", *PSQL, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],  # noqa: S608
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    if not exists:
        subprocess.run(["createdb", *PSQL, name], check=True)


def setup_django_on(name: str, *, rebuild: bool = False) -> None:
    """Django on the database `name` (bench settings, tasks in-process: no broker), migrated."""
    ensure_database(name, rebuild=rebuild)
    os.environ["DATABASE_URL"] = database_url(name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.pop("CELERY_BROKER_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
