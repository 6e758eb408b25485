"""Settings for benchmarks: the project's own, plus a bare reference view."""

import os

# DEBUG is off, so the project's settings need a key: one fixed benchmark key (the same in
# every process a benchmark starts), unless the environment brings its own.
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
# DEBUG off refuses the console backend: benchmark mail stays in memory.
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

from surveyhub.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
SECURE_SSL_REDIRECT = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# No collectstatic in benchmarks: plain static URLs.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
