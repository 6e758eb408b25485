"""The README's first command on the embedded default: `make run` migrates a fresh SQLite
file, seeds the demo and serves it — and every page a person of each role reaches from the
staff home and the admin index answers, with no error in the server's log.

The suite itself runs on PostgreSQL on CI, so code written for PostgreSQL only (COPY,
string_agg, `AT TIME ZONE`, a standard deviation of fewer than two values, which SQLite's
raises on) would pass every other test and still break the demo. Before the fix `seed_demo`
stopped at the CLV run (psycopg's SQL composition on a SQLite connection), the category rules
failed on `array_agg(… ORDER BY …)`, and the evaluation workspace's figures never computed.
"""

import re
import urllib.parse

import pytest
import requests

from tests.support import ARTIFACTS, embedded_environment, manage, runserver

pytestmark = pytest.mark.slow

ROLES = ("admin", "manager", "designer", "agent")
PAGES_PER_ROLE = 150
# Links that change data or download files (their own tests cover them), and log-out.
SKIP = re.compile(r"logout|/delete/|export|download|\.(pdf|xlsx|csv|sav|png)\b|/qr|/i18n/")
START = ("/staff/", "/admin/", "/staff/evaluations/", "/admin/dashboard/")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("make-run")
    env = embedded_environment(tmp_path, SURVEYHUB_DEMO="1")
    manage(env, "migrate", "--noinput", "-v0")
    seeded = manage(env, "seed_demo")
    log = ARTIFACTS / "make-run-demo-server.log"
    with runserver(env, log) as base:
        yield base, seeded.stdout + seeded.stderr, log


def _errors(log) -> list[str]:
    """The log's errors, and the work the in-process tasks could not do (a failed task is
    logged "could not enqueue … the sweeper will pick it up"; on SQLite it would fail again)."""
    return [
        line for line in log.read_text().splitlines()
        if " ERROR " in line or "could not enqueue" in line
    ]  # fmt: skip


def _logged_in(base: str, role: str) -> requests.Session:
    session = requests.Session()
    login = session.get(f"{base}/admin/login/", timeout=60)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
    done = session.post(
        f"{base}/admin/login/?next=/staff/",
        data={"csrfmiddlewaretoken": token, "username": role, "password": f"{role}-demo-2026"},
        headers={"Referer": f"{base}/admin/login/"}, timeout=60,
    )  # fmt: skip
    assert done.status_code == 200 and "sessionid" in session.cookies, f"{role} cannot log in"
    return session


def _links(base: str, page_url: str, html: str) -> list[str]:
    found = []
    for href in re.findall(r'href="([^"#]+)"', html):
        parts = urllib.parse.urlparse(urllib.parse.urljoin(page_url, href.replace("&amp;", "&")))
        if parts.netloc and f"{parts.scheme}://{parts.netloc}" != base:
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path.startswith(("/staff", "/admin")) and not SKIP.search(path):
            found.append(path)
    return found


def _walk(base: str, session: requests.Session) -> dict[str, int]:
    """Breadth-first from the homes, one page per address shape (digits folded): status by
    address of every page walked."""
    statuses: dict[str, int] = {}
    shapes: set[str] = set()
    queue = list(START)
    while queue and len(statuses) < PAGES_PER_ROLE:
        path = queue.pop(0)
        shape = re.sub(r"\d+", "N", path)
        if shape in shapes:
            continue
        shapes.add(shape)
        reply = session.get(base + path, allow_redirects=False, timeout=120)
        statuses[path] = reply.status_code
        if reply.status_code == 200 and "text/html" in reply.headers.get("content-type", ""):
            queue.extend(_links(base, base + path, reply.text))
    return statuses


def test_make_run_seeds_the_demo_on_sqlite_without_an_error(demo):
    _base, output, _log = demo
    assert "Demo data ready." in output
    assert "Traceback" not in output and "Error" not in output, output[-3000:]
    for role in ROLES:
        assert f"{role} / {role}-demo-2026" in output


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_reaches_answers_on_the_demo(demo, role):
    base, _output, log = demo
    statuses = _walk(base, _logged_in(base, role))
    assert len(statuses) >= 10, statuses  # the walk reached the product, not only a login
    broken = {path: status for path, status in statuses.items() if status >= 500}
    assert not broken, broken
    assert not _errors(log), log.read_text()[-5000:]


def test_the_workspace_figures_are_computed_in_process(demo):
    """The evaluation workspace's figures are computed by a task, in-process here: the page
    shows the quarter's index and figures, never "being computed" for ever."""
    base, _output, log = demo
    session = _logged_in(base, "manager")
    page = session.get(f"{base}/staff/evaluations/", timeout=120)
    assert page.status_code == 200
    assert 'data-figures="computing"' not in page.text
    assert not _errors(log), log.read_text()[-5000:]
