"""In Chromium: a promoter's thank-you page on a phone offers the referral code and link (and
the link welcomes the friend); the lifecycle page draws the flow chart. Screenshots in zh-Hans
and en at 390 and 1280 px go to /work/shots/referrals/ (tests/artifacts/ when absent)."""

from pathlib import Path

import pytest
from django.test import Client

from analytics.models import ReferralCode
from tests.analytics.referrals.helpers import answer, invite
from tests.analytics.referrals.lifecycle_runs import lifecycle_runs
from tests.factories import CustomerFactory, UserFactory, published_survey
from tests.support import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORK_SHOTS = Path("/work/shots/referrals")
SHOTS = WORK_SHOTS if WORK_SHOTS.parent.is_dir() else ARTIFACTS / "referrals"
LANGUAGES = {"zh-hans": "推荐给朋友", "en": "Recommend us to a friend"}


def _context(browser, live_server, width, language):
    context = browser.new_context(
        viewport={"width": width, "height": 844 if width < 600 else 900},
        device_scale_factor=2 if width < 600 else 1, is_mobile=width < 600, has_touch=width < 600,
        locale="zh-CN" if language == "zh-hans" else "en-US",
        extra_http_headers={"Accept-Language": language},
    )  # fmt: skip
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    return context


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_the_promoter_sees_the_offer_and_the_friend_the_welcome(live_server, browser, language):
    SHOTS.mkdir(parents=True, exist_ok=True)
    promoter = CustomerFactory(name="王小明😀", language=language)
    survey = published_survey(consent_text="", languages=["zh-hans", "en"])
    _invitation, url = invite(survey, promoter)
    answer(Client(), url + f"?lang={language}", nps=10, HTTP_ACCEPT_LANGUAGE=language)
    code = ReferralCode.objects.get(customer=promoter).code

    for width in (390, 1280):
        context = _context(browser, live_server, width, language)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
        page.goto(f"{live_server.url}{url}?lang={language}")
        offer = page.locator(".referral-offer")
        assert LANGUAGES[language] in offer.inner_text()
        assert page.inner_text(".referral-code") == code
        link = page.locator("a.referral-link")
        assert link.get_attribute("href").endswith(f"/r/ref/{code}/")
        # The link fits the phone's width: nothing scrolls sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(SHOTS / f"thanks-offer-{language}-{width}.png"), full_page=True)

        friend = context.new_page()
        friend.goto(link.get_attribute("href"))
        assert code in friend.inner_text(".referral-code")
        friend.screenshot(path=str(SHOTS / f"landing-{language}-{width}.png"), full_page=True)
        assert errors == []
        context.close()


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_the_lifecycle_page_draws_the_flow_chart(live_server, browser, language):
    SHOTS.mkdir(parents=True, exist_ok=True)
    lifecycle_runs()
    manager = UserFactory(username="manager", role="经理 Manager")
    client = Client()
    client.force_login(manager)

    for width in (1280, 390):
        context = _context(browser, live_server, width, language)
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                              "url": live_server.url}])  # fmt: skip
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
        page.on("console", lambda m, errors=errors: m.type == "error" and errors.append(m.text))
        page.goto(f"{live_server.url}/staff/customers/lifecycle/")
        page.wait_for_selector("#lifecycle-flow-chart[data-drawn='1']", timeout=20_000)
        box = page.locator("#lifecycle-flow-chart").bounding_box()
        assert box["width"] > 300 and box["height"] > 300
        # Chart.js drew something: the canvas is not blank.
        painted = page.evaluate(
            "(() => { const c = document.getElementById('lifecycle-flow-chart');"
            " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
            " let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i]) n++; } return n; })()"
        )
        assert painted > 1000
        page.locator("#lifecycle-flow-chart").scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"lifecycle-chart-{language}-{width}.png"),
                        full_page=True)  # fmt: skip
        assert errors == []
        context.close()
