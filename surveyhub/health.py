"""Checks behind /healthz: can we reach the database and the Celery broker?"""

from collections.abc import Callable

from django.conf import settings
from django.db import connection
from kombu import Connection

# Figures /healthz adds to its body, registered by the apps from their ready() (this library
# knows no app): name → a function that reads it, e.g. the responses the outbox gave up on.
HEALTH_FIGURES: dict[str, Callable[[], object]] = {}


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure is reported, not raised: this is a health probe
        return f"error: {exc.__class__.__name__}"
    return "ok"


def broker_state() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "in-process"
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # reported, not raised
        return f"error: {exc.__class__.__name__}"
    return "ok"
