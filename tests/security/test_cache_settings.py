"""CACHE_URL picks the cache (Redis in production, memory for the demo); bad values stop
start-up, and so do rate limits below one."""

import json
import os
import subprocess
import sys

import pytest

from tests.support import REPO_ROOT

PRINT_CACHE = """
import json, django
django.setup()
from django.conf import settings as s
cache = s.CACHES["default"]
print(json.dumps({"BACKEND": cache["BACKEND"], "LOCATION": cache.get("LOCATION", ""),
                  "DEVICE": s.SURVEYHUB_RATELIMIT_DEVICE_PER_MINUTE,
                  "IP": s.SURVEYHUB_RATELIMIT_IP_PER_MINUTE}))
"""
CLEARED = (
    "CACHE_URL",
    "DJANGO_DEBUG",
    "SURVEYHUB_RATELIMIT_DEVICE_PER_MINUTE",
    "SURVEYHUB_RATELIMIT_IP_PER_MINUTE",
)


def settings_with(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in CLEARED}
    clean["DJANGO_SETTINGS_MODULE"] = "surveyhub.settings"
    return subprocess.run(
        [sys.executable, "-c", PRINT_CACHE], cwd=REPO_ROOT, env={**clean, **env},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_without_cache_url_the_demo_uses_memory_and_the_default_limits():
    result = settings_with(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "",
        "DEVICE": 120, "IP": 3000,
    }  # fmt: skip


def test_a_redis_cache_url_selects_djangos_redis_cache():
    result = settings_with(CACHE_URL="redis://127.0.0.1:6379/2")
    values = json.loads(result.stdout)
    assert values["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert values["LOCATION"] == "redis://127.0.0.1:6379/2"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CACHE_URL": "memcached://127.0.0.1:11211"}, "CACHE_URL"),
        ({"SURVEYHUB_RATELIMIT_IP_PER_MINUTE": "0"}, "at least 1"),
        ({"SURVEYHUB_RATELIMIT_DEVICE_PER_MINUTE": "lots"}, "not a whole number"),
    ],
)
def test_a_bad_cache_or_limit_setting_stops_start_up(env, message):
    result = settings_with(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


SHARED = "surveyhub.security.shared_cache.SharedDatabaseCache"


@pytest.mark.parametrize("env", [{}, {"DJANGO_DEBUG": "0"}, {"CACHE_URL": "db://"},
                                 {"CACHE_URL": "db://", "DJANGO_DEBUG": "1"}])  # fmt: skip
def test_with_debug_off_and_no_cache_url_the_counters_go_to_the_shared_database(env):
    """Per-process memory would multiply every limit by the number of gunicorn workers."""
    result = settings_with(**env)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["BACKEND"] == SHARED
    assert values["LOCATION"] == "surveyhub_cache"


def test_locmem_stays_available_for_a_single_process_when_asked_for():
    result = settings_with(CACHE_URL="locmem://")
    assert json.loads(result.stdout)["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_ci_keeps_its_redis_cache_with_debug_off():
    result = settings_with(CACHE_URL="redis://127.0.0.1:6379/2", DJANGO_DEBUG="0")
    assert json.loads(result.stdout)["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
