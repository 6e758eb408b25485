"""A strict Content-Security-Policy for scripts, and nothing we serve needs to break it."""

import re

import pytest

from surveyhub.security.roles import Role
from tests.factories import UserFactory, published_survey
from tests.support import PHONE, REPO_ROOT

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", re.I)
HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/s/{slug}/", "/privacy/", "/accounts/login/", "/api/docs/"])
def test_every_page_carries_the_policy_and_scripts_only_from_our_origin(client, path):
    survey = published_survey()
    response = client.get(path.format(slug=survey.slug))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_staff_and_admin_pages_carry_the_policy(client):
    client.force_login(UserFactory(role=Role.ADMIN))
    for path in ("/staff/", "/admin/", "/staff/surveys/"):
        assert "script-src 'self'" in client.get(path)["Content-Security-Policy"]


def test_no_template_has_inline_script_or_event_handler_attributes():
    offenders = []
    for path in REPO_ROOT.glob("**/templates/**/*.html"):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if INLINE_SCRIPT.search(text) or HANDLER.search(text):
            offenders.append(str(path.relative_to(REPO_ROOT)))
    assert offenders == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_real_browser_reports_no_policy_violation_while_answering(live_server, browser):
    survey = published_survey(slug="csp-check", consent_text="")
    context = browser.new_context(**PHONE)
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.goto(f"{live_server.url}/s/{survey.slug}/")
    page.locator("label:has(input[name=nps][value='6']) span").tap()
    page.wait_for_timeout(900)  # the autosave script runs after 600 ms
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    context.close()
    assert [p for p in problems if "Content Security Policy" in p or "CSP" in p] == []
