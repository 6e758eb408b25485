"""Issue #16's "done when", in Chromium on the demo data (`seed_demo`): the at-risk list, the
lifecycle stages, the segments (overview and one segment's page), the cross-sell page and a
promoter's referral link and 360 panel work for the demo manager in Chinese and in English, on
a phone (390 px) and a desktop (1280 px): each answers 200 with its content, no script error,
no stored code, no English word on a Chinese page, nothing scrolls sideways. Screenshots go to
SCREENSHOTS (default /work/shots/h4/) for a person to look at."""

import os
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from tests.e2e.test_agent_and_manager_walk import ALLOWED_LATIN, LATIN, english_in
from tests.surveyhub.test_no_codes_in_visible_text import codes_in, customers_words, stored_codes

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("SCREENSHOTS", "/work/shots/h4"))
WIDTHS = {"phone": 390, "desktop": 1280}


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


def _referral():
    """A demo promoter's code (as the thank-you page makes it) and a friend it brought."""
    from analytics.models import ReferralSource
    from analytics.referrals.services import referral_code_for_promoter, referral_record
    from surveys.models import Customer, Response, ResponseStatus

    answer = (
        Response.objects.filter(status=ResponseStatus.COMPLETED, customer__isnull=False,
                                nps_score__gte=9)
        .order_by("pk").first()
    )  # fmt: skip
    assert answer is not None, "the demo has a promoter's answer"
    code = referral_code_for_promoter(response=answer)
    friend = Customer.objects.exclude(pk=answer.customer_id).order_by("pk").first()
    assert referral_record(code=code, customer_id=friend.pk, source=ReferralSource.LINK)
    return code.code, answer.customer_id


def _pages(code: str, promoter_id: int) -> list[tuple[str, str, str]]:
    """(name, path, a selector that must be there) of every page of the issue."""
    from analytics.models import LifecycleStage
    from analytics.relationship.queries import latest_run, stage_counts

    run = latest_run()
    assert run is not None and run.values.exists(), "seed_demo fits CLV with churn and stages"
    largest = max(stage_counts(run), key=lambda row: row["customers"])
    assert largest["stage"] in LifecycleStage.values
    return [
        ("at-risk", "/staff/customers/at-risk/?band=medium", "ul.risk-list li h2 a"),
        ("lifecycle", "/staff/customers/lifecycle/", "main table"),
        ("segments", "/staff/customers/segments/", "main table td a"),
        ("segment-stage", f"/staff/customers/segments/stage/{largest['stage']}/", ".facts"),
        ("segment-rfm", "/staff/customers/segments/rfm/important_value/", ".facts"),
        ("cross-sell", "/staff/customers/cross-sell/", "main table"),
        ("referral-landing", f"/r/ref/{code}/", ".referral-code"),
        ("promoter-360", f"/staff/customers/{promoter_id}/", "main"),
    ]


def _session_cookie(live_server, username: str) -> dict:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return {"name": "sessionid", "value": client.cookies["sessionid"].value,
            "url": live_server.url}  # fmt: skip


def test_the_relationship_pages_work_on_the_demo(live_server, browser, demo):
    from django.contrib.auth import get_user_model

    from surveys.models import Customer, Store

    SHOTS.mkdir(parents=True, exist_ok=True)
    code, promoter_id = _referral()
    pages = _pages(code, promoter_id)
    codes = stored_codes()
    allowed = ALLOWED_LATIN | {w.lower() for w in customers_words()}
    allowed |= {u.lower() for u in get_user_model().objects.values_list("username", flat=True)}
    for name in [*Store.objects.values_list("name", flat=True),
                 *Customer.objects.values_list("name", flat=True)]:  # fmt: skip
        allowed |= {w.lower() for w in LATIN.findall(name)}
    allowed.add(code.lower())
    problems: list[str] = []
    for language in ("zh-hans", "en"):
        for device, width in WIDTHS.items():
            context = browser.new_context(
                viewport={"width": width, "height": 900}, locale=language,
                extra_http_headers={"Accept-Language": language},
            )  # fmt: skip
            context.add_cookies([_session_cookie(live_server, "manager")])
            context.add_cookies([{"name": "django_language", "value": language,
                                  "url": live_server.url}])  # fmt: skip
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
            for name, path, ready in pages:
                where = f"{name} {language} {width}px"
                reply = page.goto(live_server.url + path)
                if reply is None or reply.status != 200:
                    problems.append(f"{where}: HTTP {reply and reply.status}")
                    continue
                if not page.locator(ready).count():
                    problems.append(f"{where}: no {ready}")
                page.screenshot(path=str(SHOTS / f"{name}-{language}-{device}.png"),
                                full_page=True)  # fmt: skip
                page.evaluate(
                    "document.querySelectorAll('.visually-hidden')"
                    ".forEach(e => e.style.display = 'none')"
                )
                text = page.inner_text("body")
                found = codes_in(text, codes, language=language)
                if found:
                    problems.append(f"{where}: codes {sorted(found)}")
                if language == "zh-hans" and (english := english_in(text, allowed)):
                    problems.append(f"{where}: English {sorted(english)}")
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                if overflow > 2:
                    problems.append(f"{where}: scrolls sideways by {overflow}px")
            if errors:
                problems.append(f"{language} {width}px: script errors {errors}")
            context.close()
    assert not problems, "\n".join(problems)
