"""Issue #19's "done when": the demo agent and the demo manager walk their main pages in
Chromium, in Chinese and in English, on a phone (390 px) and a desktop (1280 px). No page shows
a stored code, a Chinese page shows no English word (beyond the product's names and the
abbreviations the product uses in both languages), no page scrolls sideways, and every page
is saved as a screenshot (SCREENSHOTS, default /work/shots/h1/) for a person to look at."""

import os
import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from tests.surveyhub.test_no_codes_in_visible_text import (
    NOT_WORDS,
    codes_in,
    customers_words,
    stored_codes,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("SCREENSHOTS", "/work/shots/h1"))
WIDTHS = {"phone": 390, "desktop": 1280}
# Latin words a Chinese page may show: the product's name, the metric names the product uses
# in both languages, file formats, and units that have no Chinese form.
ALLOWED_LATIN = {
    "surveyhub", "nps", "csat", "ces", "clv", "rfm", "sla", "csv", "excel", "pdf", "api",
    "top", "box", "pp", "id", "wechat", "qr", "english", "p", "h", "n", "r", "f", "m", "vs",
    "cn", "ci", "ok", "json", "auc", "bg", "nbd", "gamma-gamma", "a", "b", "q",
}  # fmt: skip
LATIN = re.compile(r"(?<![\w.@/-])[A-Za-z][A-Za-z'’-]*(?![\w@/-])")


def english_in(text: str, allowed: set[str]) -> set[str]:
    words = {w for w in LATIN.findall(NOT_WORDS.sub(" ", text))}
    return {w for w in words if w.lower() not in allowed and w.lower().rstrip("s") not in allowed}


@pytest.fixture
def demo(settings, monkeypatch, django_capture_on_commit_callbacks):
    from django.core.mail import get_connection

    import surveys.distribution.demo

    settings.DEMO_MODE = True
    monkeypatch.setattr(surveys.distribution.demo, "get_connection",
                        lambda *args, **kwargs: get_connection(settings.EMAIL_BACKEND))  # fmt: skip
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")


def _walk(role: str):
    """The main pages of `role` on the demo: (name, path, selector to wait for)."""
    from analytics.models import ImportJob
    from feedback.models.cases import Case

    case = Case.objects.filter(customer__isnull=False).order_by("pk").first()
    pages = [
        ("home", "/staff/", "main"),
        ("cases", "/staff/cases/", "main"),
        ("case", f"/staff/cases/{case.pk}/", "main"),
        ("customer", f"/staff/customers/{case.customer_id}/", "main"),
    ]
    if role == "manager":
        pages += [
            ("dashboard", "/admin/dashboard/", "#dashboard[data-ready='1']"),
            ("at-risk", "/staff/customers/at-risk/", "main"),
            ("evaluations", "/staff/evaluations/", "main"),
        ]
        job = ImportJob.objects.order_by("pk").first()
        if job is not None:
            pages.append(("import", f"/staff/analytics/imports/{job.pk}/", "main"))
    return pages


def _session_cookie(live_server, username: str) -> dict:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return {
        "name": "sessionid", "value": client.cookies["sessionid"].value,
        "url": live_server.url,
    }  # fmt: skip


@pytest.mark.parametrize("role", ["agent", "manager"])
def test_the_demo_agent_and_manager_walk_their_pages(live_server, browser, demo, role):
    from django.contrib.auth import get_user_model

    from surveys.models import Customer, Store

    SHOTS.mkdir(parents=True, exist_ok=True)
    codes = stored_codes()
    allowed = ALLOWED_LATIN | {w.lower() for w in customers_words()}
    allowed |= {u.lower() for u in get_user_model().objects.values_list("username", flat=True)}
    names = [*Store.objects.values_list("name", flat=True)]
    names += Customer.objects.values_list("name", flat=True)  # "Anna Liu" is her name
    for name in names:
        allowed |= {w.lower() for w in LATIN.findall(name)}
    problems: list[str] = []
    for language in ("zh-hans", "en"):
        for device, width in WIDTHS.items():
            context = browser.new_context(
                viewport={"width": width, "height": 900}, locale=language,
                extra_http_headers={"Accept-Language": language},
            )  # fmt: skip
            context.add_cookies([_session_cookie(live_server, role)])
            context.add_cookies([{"name": "django_language", "value": language,
                                  "url": live_server.url}])  # fmt: skip
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
            for name, path, ready in _walk(role):
                reply = page.goto(live_server.url + path)
                where = f"{role} {name} {language} {width}px"
                if reply is None or reply.status != 200:
                    problems.append(f"{where}: HTTP {reply and reply.status}")
                    continue
                page.wait_for_selector(ready, timeout=20_000)
                page.screenshot(
                    path=str(SHOTS / f"{role}-{name}-{language}-{device}.png"), full_page=True
                )
                # Screen-reader-only captions (Django admin's own, untranslated upstream) are
                # not what a person reads on the screen.
                page.evaluate(
                    "document.querySelectorAll('.visually-hidden')"
                    ".forEach(e => e.style.display = 'none')"
                )
                text = page.inner_text("body")
                found = codes_in(text, codes, language=language)
                if found:
                    problems.append(f"{where}: codes {sorted(found)}")
                if language == "zh-hans":
                    english = english_in(text, allowed)
                    if english:
                        problems.append(f"{where}: English {sorted(english)}")
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                if overflow > 2 and name != "dashboard":  # the admin's dashboard scrolls
                    problems.append(f"{where}: scrolls sideways by {overflow}px")
            if errors:
                problems.append(f"{role} {language} {width}px: script errors {errors}")
            context.close()
    assert not problems, "\n".join(problems)
