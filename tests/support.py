"""Helpers shared by test modules (fixtures live in conftest.py)."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
# A phone for Playwright's browser.new_context(**PHONE): the size of an iPhone 12-15, touch,
# Chinese locale, and WeChat's in-app browser user agent (where many of our customers answer).
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "zh-CN",
    "user_agent": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47 NetType/WIFI Language/zh_CN"
    ),
}


def staff_on_a_phone(browser, live_server, username: str, path: str, ready: str):
    """A phone's browser context and page, logged in as ``username`` (a UserFactory user,
    its test password) at ``path``, once ``ready`` (a selector) shows."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next={path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-for-tests-1")
    page.locator("button.primary[type=submit]").tap()
    page.wait_for_selector(ready)
    return context, page


# The CDNOW sample of ../shared/data (CI clones the repository with shared/ beside it).
CDNOW = REPO_ROOT.parent / "shared" / "data" / "cdnow-purchases.csv"


def unavailable(reason: str, *, required_by: str = "REQUIRE_SERVICES") -> NoReturn:
    """Skip the test for a missing service or tool — or FAIL it when `required_by` is "1".

    The one way a test may give up because something is missing: `.ci/run` sets
    REQUIRE_SERVICES=1 and REQUIRE_BROWSER=1, so on CI nothing hides behind a skip
    (tests/test_skips.py refuses any other pytest.skip / skipif / importorskip in tests/).
    Tools that .ci/run installs (redis-server, msgfmt) count as services.
    """
    if os.environ.get(required_by) == "1":
        pytest.fail(f"{reason} — required because {required_by}=1", pytrace=False)
    pytest.skip(reason)


def require_program(program: str, *, package: str) -> None:
    """A program on PATH (e.g. redis-server), or unavailable() with how to install it."""
    if shutil.which(program) is None:
        unavailable(f"needs {program} (apt-get install -y {package})")


def require_pdf_rendering() -> None:
    """WeasyPrint with its system libraries (Pango) and Chinese fonts, or unavailable()."""
    try:
        import weasyprint  # noqa: F401 - loads Pango
    except OSError as error:
        unavailable(
            f"PDF reports need Pango ({error}): apt-get install -y libpango-1.0-0 "
            "libpangoft2-1.0-0 fonts-noto-cjk fontconfig"
        )
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False)
    if "Noto Sans CJK" not in fonts.stdout:
        unavailable("PDF reports need Chinese fonts: apt-get install -y fonts-noto-cjk fontconfig")


def require_postgresql(why: str) -> None:
    """The test database is PostgreSQL, or unavailable() saying what needs it."""
    from django.db import connection

    if connection.vendor != "postgresql":
        unavailable(f"{why}: needs PostgreSQL (DATABASE_URL=postgres://…)")


def cdnow_path() -> Path:
    """The CDNOW file, or a failed test: the published-fit checks must never silently skip."""
    if not CDNOW.exists():
        pytest.fail(f"CDNOW sample missing at {CDNOW} (shared/ must sit beside the repository)")
    return CDNOW


def wait_until(predicate, timeout: float = 30, interval: float = 0.2):
    """Poll until predicate() is truthy; return its value or fail the test."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"condition not met within {timeout}s")


def database_url_for(db: dict) -> str:
    """DATABASE_URL of the database Django is using (the test database, in tests)."""
    user = db.get("USER") or "postgres"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_process(proc: subprocess.Popen) -> None:
    """Terminate a process a test started; kill it if it has not stopped within 20 s."""
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def embedded_environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of `make run`: the embedded default (SQLite, a file of the test's own,
    no broker, no shared cache, DEBUG on), whatever services the suite itself runs on."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "REQUIRE_SERVICES"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="surveyhub.settings",
        SURVEYHUB_SQLITE_PATH=str(tmp_path / "db.sqlite3"),
        SURVEYHUB_MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_DEBUG="1",
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """`manage.py` with `env` in a process of its own; fails the test on a non-zero exit."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO_ROOT, env=env,
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, f"manage.py {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done


@contextlib.contextmanager
def runserver(env: dict[str, str], log: Path) -> Iterator[str]:
    """`manage.py runserver --noreload` with `env` on a free port, its output in `log`;
    yields the base URL once /healthz answers, and stops the server afterwards."""
    import requests

    port = free_port()
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{base}/healthz", timeout=2)
                break
            except requests.ConnectionError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    tail = log.read_text()[-3000:]
                    raise RuntimeError(f"server did not start:\n{tail}") from None
                time.sleep(0.2)
        yield base
    finally:
        stop_process(proc)


class PrivateRedis:
    """A throw-away redis-server on its own port that a test can stop and start (never the
    shared one). `with PrivateRedis() as redis:` starts it and always stops it."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> "PrivateRedis":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("private redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None


def reset_producer_pools() -> None:
    """Make this process's Celery app look up its broker connection again (by URL)."""
    from surveyhub.celery import app

    app._pool = None
    app.amqp._producer_pool = None


def kill_process_group(proc: subprocess.Popen) -> None:
    """SIGKILL a process started with new_session=True and every process it started (a
    worker's pool children die with it, mid-task, as when a machine or container dies)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


@contextlib.contextmanager
def celery_worker_process(
    *,
    node: str,
    queues: str,
    env: dict[str, str] | None = None,
    log_name: str = "celery-worker",
    new_session: bool = False,
    args: tuple[str, ...] = (),
) -> Iterator[subprocess.Popen]:
    """Run a real `celery worker` subprocess on the test database until the block ends.

    `env` overrides the environment (e.g. EMAIL_HOST for an SMTP test, a private broker).
    `new_session`: the worker leads its own process group, for kill_process_group().
    `args`: more `celery worker` options (e.g. "--beat" for an embedded beat).
    """
    from django.db import connection

    from surveyhub.celery import app

    node = node.replace("%h", socket.gethostname())
    environment = {
        **os.environ,
        "DATABASE_URL": database_url_for(connection.settings_dict),
        "DJANGO_SETTINGS_MODULE": "surveyhub.settings",
        **(env or {}),
    }
    log = ARTIFACTS / f"{log_name}.log"
    log.parent.mkdir(exist_ok=True)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "surveyhub", "worker", "--loglevel=INFO",
             "-Q", queues, "--concurrency=1", "--without-gossip", "--without-mingle", "-n", node,
             *args],
            cwd=REPO_ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=new_session,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[node], timeout=1):
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text()[-3000:]
                raise RuntimeError(f"celery worker {node} did not start:\n{tail}")
        yield proc
    finally:
        stop_process(proc)
