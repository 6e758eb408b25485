"""Issue 22, failures 1 and 6: the embedded default (SQLite, no broker — what `make run` uses)
under respondents answering at the same moment, against the real server.

The server is `manage.py runserver --noreload` (threaded) on a SQLite file of its own, with no
DATABASE_URL and no CELERY_BROKER_URL. 40 detractors answer, 8 at a time: most through the
public JSON submit, some through the HTML pages (two pages, then "submit"). Every one must be
answered 2xx and stored, and within 30 s announced, its free text analysed and its case
opened — the in-process scheduler's sweepers pick up what the request's own after-commit work
could not finish. Before the fix some answered 500 ("database is locked") and most were never
announced (nothing ran the sweepers without celery beat).
"""

import re
import sqlite3
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.support import ARTIFACTS, embedded_environment, manage, runserver

pytestmark = pytest.mark.slow

SLUG = "purchase-nps"
SUBMITS = 40
AT_A_TIME = 8
HTML_EVERY = 5  # every 5th respondent answers on the pages instead of the JSON submit
# Before the server starts: the survey, and one detractor whose after-commit announcement
# never happened (the process stopped, or the database was locked at that moment). Only the
# sweepers can pick it up; without celery beat nothing ran them.
SETUP = f"""
from surveys.responding import services
from tests.factories import published_survey
survey = published_survey("transactional_nps", slug="{SLUG}")
services._announce_on_commit = lambda response_id: None
services.response_submit(survey=survey, data={{"nps": 2, "comment": "没人理我，太失望了"}})
"""
LEFT_BEHIND = 1


@pytest.fixture
def embedded_server(tmp_path):
    env = embedded_environment(tmp_path, SURVEYHUB_ANNOUNCE_SECONDS="5")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "shell", "-c", SETUP)
    log = ARTIFACTS / "embedded-default-server.log"
    with runserver(env, log) as base:
        yield base, tmp_path / "db.sqlite3", log


def _submit_json(base: str, n: int) -> list[int]:
    reply = requests.post(
        f"{base}/api/v1/public/surveys/{SLUG}/responses/",
        json={
            "answers": {"nps": n % 7, "reason": ["delivery"], "comment": f"配送太慢了，第{n}单 😤"},
            "submission_id": str(uuid.uuid4()),
        },
        headers={"X-Device-Id": f"embedded-test-{n:04d}-{uuid.uuid4().hex[:8]}"},
        timeout=60,
    )
    return [reply.status_code]


def _csrf(page: requests.Response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def _answer_pages(base: str, n: int) -> list[int]:
    """A phone on the HTML pages: the score, then the reasons and comment, then submit."""
    session = requests.Session()
    url = f"{base}/s/{SLUG}/"
    first = session.get(url, timeout=60)
    rk = re.search(r'name="rk" value="([^"]+)"', first.text).group(1)
    page = re.search(r'name="page" value="(\d+)"', first.text).group(1)
    step = session.post(
        url, data={"csrfmiddlewaretoken": _csrf(first), "rk": rk, "page": page, "nps": str(n % 7),
                   "action": "next"},
        headers={"Referer": url}, timeout=60,
    )  # fmt: skip
    statuses = [first.status_code, step.status_code]
    page = re.search(r'name="page" value="(\d+)"', step.text).group(1)
    done = session.post(
        step.url, data={"csrfmiddlewaretoken": _csrf(step), "rk": rk, "page": page,
                        "reason": "delivery", "comment": f"客服不回复，第{n}次 😡",
                        "action": "submit"},
        headers={"Referer": step.url}, timeout=60,
    )  # fmt: skip
    thanked = done.status_code == 200 and "感谢您的评价" in done.text
    return [*statuses, done.status_code if thanked else 599]  # 599: not the thank-you page


def _respond(base: str, n: int) -> list[int]:
    return _answer_pages(base, n) if n % HTML_EVERY == 0 else _submit_json(base, n)


COUNTS = {
    "stored": "SELECT count(*) FROM surveys_response WHERE status = 'completed'",
    "announced": "SELECT count(*) FROM surveys_response "
    "WHERE status = 'completed' AND announced_at IS NOT NULL",
    "analysed": "SELECT count(DISTINCT f.response_id) FROM feedback_feedbackitem f "
    "JOIN surveys_response r ON r.id = f.response_id "
    "WHERE f.analysis_status = 'done' AND r.status = 'completed'",
    "with_case": "SELECT count(DISTINCT c.response_id) FROM feedback_case c "
    "JOIN surveys_response r ON r.id = c.response_id WHERE r.status = 'completed'",
}


def _state(database) -> dict[str, int]:
    with sqlite3.connect(database, timeout=20) as db:
        return {name: db.execute(sql).fetchone()[0] for name, sql in COUNTS.items()}


def test_concurrent_detractors_are_all_stored_announced_analysed_and_get_a_case(
    embedded_server,
):
    base, database, log = embedded_server
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=AT_A_TIME) as pool:
        statuses = [s for result in pool.map(lambda n: _respond(base, n), range(SUBMITS))
                    for s in result]  # fmt: skip
    submitted = time.monotonic() - started
    server_errors = [s for s in statuses if s >= 400]
    assert not server_errors, (statuses, log.read_text()[-5000:])
    assert _state(database)["stored"] == SUBMITS + LEFT_BEHIND

    everyone = SUBMITS + LEFT_BEHIND
    want = {"stored": everyone, "announced": everyone, "analysed": everyone, "with_case": everyone}
    deadline = time.monotonic() + 30
    state = _state(database)
    while state != want and time.monotonic() < deadline:
        time.sleep(0.5)
        state = _state(database)
    caught_up = time.monotonic() - started
    print(f"{SUBMITS} submits in {submitted:.1f} s; all followed up {caught_up:.1f} s after start")
    assert state == want, (state, log.read_text()[-5000:])
