"""Settings of the test suite: the project's own, with a secret key of its own.

The suite runs with DEBUG off, as production does, so the project's settings refuse to start
without DJANGO_SECRET_KEY. The key is put into the environment here, before those settings are
read, so every process the tests start (celery workers, gunicorn, manage.py) inherits it.
Without CACHE_URL the test process keeps the per-process memory cache (one process, and each
test starts with it empty); CI sets CACHE_URL to Redis.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key-" + "x" * 40)
# DEBUG off refuses the console backend (it would log bodies): tests and the workers they start
# keep mail in memory unless a test points them at its SMTP server.
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

from surveyhub.settings import *  # noqa: F403

if not CACHE_URL:  # noqa: F405
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
