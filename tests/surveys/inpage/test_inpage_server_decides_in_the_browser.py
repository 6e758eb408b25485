"""In Chromium, on another origin: when the shop's event fires and the script's own checks
pass, the script asks the server (page path, visitor attributes, device) and draws the
question only on its yes — so a rule changed on the server while the page was open wins over
the script's copy. Screenshots of the widget at 390 and 1280 px, in Chinese and English."""

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from surveys.inpage.models import InPageSurvey
from tests.factories import published_survey
from tests.support import PHONE
from tests.surveys.inpage.test_inpage_on_another_site import FakeShop, one_row, open_shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/work/shots/respondent_channels")


@pytest.fixture
def shop():
    shop = FakeShop()
    yield shop
    shop.close()


def _in_page(shop, **fields):
    survey = published_survey(slug="shop-gold", languages=["zh-hans", "en"])
    return InPageSurvey.objects.create(
        name="金卡会员结账后", survey=survey, allowed_origins=shop.origin, trigger="event",
        event_name="checkout", url_pattern="/order/*", attribute_rules="userId=*",
        recontact_days=30, **fields,
    )  # fmt: skip


def _asked(seen) -> list[dict]:
    return [
        {k: v[0] for k, v in parse_qs(urlsplit(u).query).items()}
        for u in seen
        if "/embed/v1/eligible/" in u
    ]


def test_the_server_is_asked_with_path_and_attributes_and_its_no_wins(live_server, browser, shop):
    in_page = _in_page(shop)
    context = browser.new_context(**PHONE)
    page, seen = open_shop(context, shop, live_server, in_page)
    # The staff tighten the rule while the page is open: the script still has the old one.
    in_page.attribute_rules = "userId=*\nplan=钻石卡"
    in_page.save()

    with page.expect_response(lambda r: "/embed/v1/eligible/" in r.url) as answer:
        page.evaluate("SurveyHub.identify({plan: '金卡'}); SurveyHub.track('checkout')")
    assert answer.value.json() == {"show": False}
    page.wait_for_timeout(500)
    assert page.locator(".box").count() == 0
    [asked] = _asked(seen)
    assert asked["path"] == "/order/20261206-001/done"
    assert json.loads(asked["attrs"]) == {"userId": "C1001", "plan": "金卡"}
    assert asked["device"] == page.evaluate("localStorage.getItem('surveyhub.device')")

    # The same question again is not asked twice; a visitor who now matches is shown it.
    page.evaluate("SurveyHub.track('checkout')")
    page.wait_for_timeout(300)
    assert len(_asked(seen)) == 1
    with page.expect_response(lambda r: "/embed/v1/eligible/" in r.url) as answer:
        page.evaluate("SurveyHub.identify({plan: '钻石卡'})")
    assert answer.value.json() == {"show": True}
    page.locator(".box").wait_for()
    context.close()


@pytest.mark.parametrize(
    ("width", "lang", "question"),
    [
        (390, "zh-hans", "您有多大可能向朋友或同事推荐我们？"),
        (1280, "zh-hans", "您有多大可能向朋友或同事推荐我们？"),
        (390, "en", "How likely are you to recommend us to a friend or colleague?"),
        (1280, "en", "How likely are you to recommend us to a friend or colleague?"),
    ],
)
def test_a_matching_visitor_sees_the_question_after_the_servers_yes(
    live_server, browser, shop, width, lang, question
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    in_page = _in_page(shop)
    size = {**PHONE, "viewport": {"width": width, "height": 760}} if width < 800 else {
        "viewport": {"width": width, "height": 800}, "locale": "en-US"}  # fmt: skip
    context = browser.new_context(**size)
    page, _seen = open_shop(context, shop, live_server, in_page, lang)
    with page.expect_response(lambda r: "/embed/v1/eligible/" in r.url) as answer:
        page.evaluate("SurveyHub.track('checkout')")
    assert answer.value.json() == {"show": True}
    box = page.locator(".box")
    box.wait_for()
    assert question in box.inner_text()
    one_row(page)
    page.screenshot(path=str(SHOTS / f"inpage-server-yes-{width}-{lang}.png"))
    context.close()
