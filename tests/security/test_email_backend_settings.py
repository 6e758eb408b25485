"""With DEBUG off, email never goes to the console or a file (they write whole messages —
case replies, invitation links — to the log or disk, and deliver nothing): start-up stops and
says what to set. SMTP is chosen as soon as EMAIL_HOST is set; development keeps the console."""

import os
import secrets
import subprocess
import sys

import pytest

from tests.support import REPO_ROOT

PRINT_BACKEND = """
import django
django.setup()
from django.conf import settings
print(settings.EMAIL_BACKEND)
"""
CLEARED = {"DJANGO_DEBUG", "DJANGO_SETTINGS_MODULE", "EMAIL_HOST", "EMAIL_BACKEND"}
CONSOLE = "django.core.mail.backends.console.EmailBackend"


def start(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in CLEARED}
    clean.update(DJANGO_SETTINGS_MODULE="surveyhub.settings",
                 DJANGO_SECRET_KEY=secrets.token_urlsafe(50))  # fmt: skip
    return subprocess.run(
        [sys.executable, "-c", PRINT_BACKEND], cwd=REPO_ROOT, env={**clean, **env},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize(
    "env",
    [
        {"DJANGO_DEBUG": "0"},  # nothing configured: it would have been the console
        {"DJANGO_DEBUG": "0", "EMAIL_BACKEND": CONSOLE},
        {"DJANGO_DEBUG": "0", "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend"},
    ],
)
def test_production_refuses_to_start_with_mail_going_to_the_log(env):
    result = start(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "EMAIL_HOST" in result.stderr and "personal data" in result.stderr


@pytest.mark.parametrize(
    ("env", "backend"),
    [
        ({"DJANGO_DEBUG": "0", "EMAIL_HOST": "smtp.example.cn"},
         "django.core.mail.backends.smtp.EmailBackend"),
        ({"DJANGO_DEBUG": "0", "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"},
         "django.core.mail.backends.dummy.EmailBackend"),
        ({"DJANGO_DEBUG": "1"}, CONSOLE),
    ],
)  # fmt: skip
def test_smtp_an_explicit_no_email_or_development_start(env, backend):
    result = start(**env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == backend
