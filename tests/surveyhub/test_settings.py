import json
import os
import secrets
import subprocess
import sys

import pytest

from tests.support import REPO_ROOT

PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "DEBUG": s.DEBUG, "LANGUAGE_CODE": s.LANGUAGE_CODE, "TIME_ZONE": s.TIME_ZONE,
    "USE_TZ": s.USE_TZ,
    "ENGINE": s.DATABASES["default"]["ENGINE"], "EAGER": s.CELERY_TASK_ALWAYS_EAGER,
    "CURRENCY": s.DEFAULT_CURRENCY, "LANGUAGES": [code for code, _ in s.LANGUAGES],
}))
"""

SETTINGS_ENV = (
    "DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_DEBUG", "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS", "SURVEYHUB_DEMO", "EMAIL_HOST", "DJANGO_ALLOW_ASYNC_UNSAFE",
)  # fmt: skip


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV}
    clean["DJANGO_SETTINGS_MODULE"] = "surveyhub.settings"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, env={**clean, **env},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_without_environment_the_embedded_defaults_apply():
    result = run_python(PRINT_SETTINGS, DJANGO_SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values == {
        "DEBUG": False,
        "LANGUAGE_CODE": "zh-hans",
        "TIME_ZONE": "Asia/Shanghai",
        "USE_TZ": True,
        "ENGINE": "django.db.backends.sqlite3",
        "EAGER": True,
        "CURRENCY": "CNY",
        "LANGUAGES": ["zh-hans", "en"],
    }


def test_database_url_and_broker_switch_to_postgresql_and_a_real_worker():
    result = run_python(
        PRINT_SETTINGS,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/anything",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
    )
    values = json.loads(result.stdout)
    assert values["ENGINE"] == "django.db.backends.postgresql"
    assert values["EAGER"] is False


@pytest.mark.parametrize("value", ["maybe", "2", "yes please"])
def test_a_malformed_boolean_stops_start_up_with_a_clear_error(value):
    result = run_python(PRINT_SETTINGS, DJANGO_DEBUG=value)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"DJANGO_DEBUG={value!r} is not a boolean" in result.stderr


def test_production_settings_pass_check_deploy():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO_ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in SETTINGS_ENV},
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "survey.example.cn",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_flags_a_weak_secret_key():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO_ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in SETTINGS_ENV},
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "short",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


REFUSAL = "DJANGO_SECRET_KEY is not set"
DEVELOPMENT_KEY = "django-insecure-surveyhub-development-key-never-use-in-production"
PRINT_KEY = (
    "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
)


@pytest.mark.parametrize(
    "key",
    [None, "", "   ", DEVELOPMENT_KEY],
    ids=["unset", "empty", "blank", "the-public-default"],
)
def test_with_debug_off_start_up_refuses_the_default_or_an_empty_secret_key(key):
    env = {"DJANGO_DEBUG": "0"} if key is None else {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": key}
    result = run_python(PRINT_KEY, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert REFUSAL in result.stderr
    assert "set DJANGO_SECRET_KEY to a long random secret" in result.stderr
    assert result.stdout == ""


def test_manage_py_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=REPO_ROOT,
        env={**{k: v for k, v in os.environ.items() if k not in SETTINGS_ENV}, "DJANGO_DEBUG": "0",
             "DJANGO_SETTINGS_MODULE": "surveyhub.settings"},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode != 0
    assert REFUSAL in result.stdout + result.stderr


def test_with_debug_on_the_development_key_is_used():
    result = run_python(PRINT_KEY, DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.strip() == "django-insecure-surveyhub-development-key-never-use-in-production"
    )


def test_with_debug_off_and_a_secret_key_start_up_uses_it():
    key = secrets.token_urlsafe(50)
    result = run_python(PRINT_KEY, DJANGO_DEBUG="0", DJANGO_SECRET_KEY=key)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == key
