"""CELERY_VISIBILITY_TIMEOUT: how long Redis keeps a task a dead worker had taken before
handing it to another (the worker-kill tests use 2 s; production keeps an hour)."""

import json
import secrets

from tests.surveyhub.test_settings import run_python

# With DEBUG off (the default) start-up needs a real secret key.
KEY = secrets.token_urlsafe(50)

PRINT_TRANSPORT = """
import json, django
django.setup()
from django.conf import settings
from surveyhub.celery import app
print(json.dumps([settings.CELERY_BROKER_TRANSPORT_OPTIONS,
                  app.conf.broker_transport_options]))
"""


def test_the_visibility_timeout_defaults_to_an_hour_and_reaches_celery():
    result = run_python(
        PRINT_TRANSPORT, CELERY_BROKER_URL="redis://127.0.0.1:6379/0", DJANGO_SECRET_KEY=KEY
    )
    assert result.returncode == 0, result.stderr
    ours, celerys = json.loads(result.stdout.strip().splitlines()[-1])
    assert ours["visibility_timeout"] == celerys["visibility_timeout"] == 3600
    assert ours["max_retries"] == 1  # publishing to a stopped broker still fails fast


def test_the_visibility_timeout_comes_from_the_environment():
    result = run_python(PRINT_TRANSPORT, CELERY_VISIBILITY_TIMEOUT="900", DJANGO_SECRET_KEY=KEY)
    assert result.returncode == 0, result.stderr
    ours, celerys = json.loads(result.stdout.strip().splitlines()[-1])
    assert ours["visibility_timeout"] == celerys["visibility_timeout"] == 900


def test_a_visibility_timeout_below_one_second_stops_start_up():
    result = run_python(PRINT_TRANSPORT, CELERY_VISIBILITY_TIMEOUT="0", DJANGO_SECRET_KEY=KEY)
    assert result.returncode != 0
    assert "CELERY_VISIBILITY_TIMEOUT must be at least 1" in result.stderr
