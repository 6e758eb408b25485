"""Shared fixtures: service/browser requirements, in-process Celery, real worker, browser."""

import contextlib
import os
from functools import cache
from pathlib import Path

import pytest

from tests.support import (
    ARTIFACTS,
    CHROMIUM,
    celery_worker_process,
    require_program,
    unavailable,
)


@cache
def services_unavailable() -> str | None:
    """Why the real PostgreSQL + broker cannot be used, or None when they can."""
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        return "needs PostgreSQL: set DATABASE_URL=postgres://…"
    broker_url = os.environ.get("CELERY_BROKER_URL", "")
    if not broker_url:
        return "needs a broker: set CELERY_BROKER_URL=redis://…"
    from kombu import Connection

    try:
        with Connection(broker_url, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1)
    except Exception as exc:
        return f"broker {broker_url} unreachable: {exc}"
    return None


@cache
def browser_unavailable() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"needs Chromium at {CHROMIUM} (apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "needs the playwright package"
    return None


REQUIREMENTS = {
    "services": (services_unavailable, "REQUIRE_SERVICES"),
    "browser": (browser_unavailable, "REQUIRE_BROWSER"),
}


def pytest_runtest_setup(item):
    for marker, (unavailable_because, required_by) in REQUIREMENTS.items():
        if item.get_closest_marker(marker) is None:
            continue
        reason = unavailable_because()
        if reason is not None:
            unavailable(reason, required_by=required_by)


@pytest.fixture(scope="session", autouse=True)
def _test_settings():
    """Plain static storage (no collectstatic in tests), fast hashing, plain-HTTP live server.

    Session-wide, so that session fixtures such as live_server start with it too.
    """
    from django.conf import settings
    from django.test.utils import override_settings

    override = override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        SECURE_SSL_REDIRECT=False,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
        SECURE_HSTS_SECONDS=0,
        WHITENOISE_USE_FINDERS=True,
        WHITENOISE_AUTOREFRESH=True,
    )
    override.enable()
    yield
    override.disable()


@pytest.fixture(scope="session", autouse=True)
def _no_outbound_network():
    """No test (so no product code path) may reach a host outside this machine."""
    from tests import network_guard

    network_guard.install()
    yield
    network_guard.uninstall()


@pytest.fixture(autouse=True)
def _no_outbound_call_in_this_test(_no_outbound_network):
    """Fail loudly even when the code under test swallowed the blocked connection."""
    from tests import network_guard

    del network_guard.violations[:]
    yield
    if network_guard.violations:
        found, network_guard.violations[:] = list(network_guard.violations), []
        pytest.fail("outbound network call(s):\n" + "\n".join(found), pytrace=False)


@pytest.fixture(autouse=True)
def _celery_in_process(request):
    """Tasks run in-process unless a test asks for the real worker."""
    from surveyhub.celery import app

    eager = "celery_worker" not in request.fixturenames
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: no rate-limit counter leaks between tests, and
    no survey cached by the public submit (slugs repeat once a transactional test has
    emptied the database, and the per-process cache would answer with the last test's)."""
    from django.core.cache import cache

    from surveys.queries import _SUBMIT_CACHE

    _SUBMIT_CACHE.clear()
    # A test that stops Redis sees its own errors; the next one must still start.
    with contextlib.suppress(Exception):
        cache.clear()


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker):
    """A real `celery worker` process on the configured broker, using the test database."""
    if services_unavailable():
        unavailable(services_unavailable(), required_by="REQUIRE_SERVICES")
    from surveyhub.celery import app

    app.control.purge()
    with celery_worker_process(
        node=f"test-{os.getpid()}@%h", queues="default,email,nlp,imports"
    ) as proc:
        yield proc


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (its own browser download does not work here)."""
    if browser_unavailable():
        unavailable(browser_unavailable(), required_by="REQUIRE_BROWSER")
    # Playwright's sync API runs an event loop in this thread; the ORM calls in tests are safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )  # fmt: skip
        yield chromium
        chromium.close()


@pytest.fixture
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def gettext_tools():
    require_program("msgfmt", package="gettext")


@pytest.fixture
def private_broker(monkeypatch):
    """A private redis-server; until the test ends this process's tasks go there."""
    require_program("redis-server", package="redis-server")
    from surveyhub.celery import app
    from tests.support import PrivateRedis, reset_producer_pools

    with PrivateRedis() as redis:
        # Celery reads CELERY_BROKER_URL before its configuration: this process sends there.
        monkeypatch.setenv("CELERY_BROKER_URL", redis.url)
        reset_producer_pools()
        previous_eager = app.conf.task_always_eager
        app.conf.task_always_eager = False
        try:
            yield redis
        finally:
            app.conf.task_always_eager = previous_eager
            monkeypatch.undo()
            reset_producer_pools()
