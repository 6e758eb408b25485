"""The page an SMS link lands on, in Chromium on a phone (390 px) and a desktop, in Chinese
and English: the short link opens the personal page that greets the customer by name,
nothing scrolls sideways, the answer goes through; a forged short link, the unsubscribe
short link and WeChat's refusal pages read well. Screenshots go to tests/artifacts/."""

import re

import pytest

from surveys.design.services import survey_update
from surveys.distribution.invitations import distribution_create, distribution_send
from surveys.distribution.tasks import send_distribution_batch
from surveys.models import Response, ResponseStatus
from tests.factories import CustomerFactory, published_survey
from tests.support import PHONE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # The page is the same whichever provider texted the link: one is enough here.
    pytest.mark.parametrize("fake_sms", ["aliyun"], indirect=True),
]


@pytest.fixture
def texted(live_server, fake_sms, settings):
    settings.SITE_URL = live_server.url
    survey = published_survey(slug="sms-landing", consent_text="", languages=["zh-hans", "en"])
    people = [
        CustomerFactory(name="王芳", phone="+8613800138000", language="zh-hans"),
        CustomerFactory(name="Emily Chen", phone="+8613900139000", language="en"),
    ]
    distribution = distribution_create(
        survey=survey, channel="sms", audience={"customer_ids": [p.pk for p in people]}
    )
    distribution_send(distribution=distribution)
    send_distribution_batch.apply(args=(distribution.pk,))
    links = {record.variables[0]: record.variables[1:] for record in fake_sms.sent}
    return survey, {"zh-hans": links["王芳"], "en": links["Emily Chen"]}


def _no_sideways_scroll(page, width):
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_sms_link_opens_the_personal_page_and_takes_the_answer(
    browser, texted, language, width, artifacts_dir, fake_sms
):
    _survey, links = texted
    link = links[language][0]
    options = PHONE if width < 1000 else {"locale": "zh-CN"}
    context = browser.new_context(**{**options, "viewport": {"width": width, "height": 900}})
    page = context.new_page()
    page.goto(link)
    assert re.search(r"/i/[A-Za-z0-9_-]{43}/$", page.url)
    greeting = page.locator(".greeting").inner_text()
    assert ("王芳" if language == "zh-hans" else "Emily Chen") in greeting
    _no_sideways_scroll(page, width)
    name = f"sms-landing-{language}-{width}.png"
    page.screenshot(path=str(artifacts_dir / name), full_page=True)
    page.locator("label:has(input[name=nps][value='8'])").first.click()
    page.locator("button[value=next]").click()
    page.locator("button[value=submit]").click()
    page.wait_for_url(re.compile(r"/i/"))
    _no_sideways_scroll(page, width)
    page.screenshot(path=str(artifacts_dir / f"sms-thanks-{language}-{width}.png"), full_page=True)
    assert Response.objects.filter(status=ResponseStatus.COMPLETED, channel="sms").count() == 1
    context.close()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_forged_link_unsubscribe_and_wechat_pages_read_well_on_a_phone(
    browser, live_server, texted, language, artifacts_dir, fake_sms, settings
):
    survey, links = texted
    unsubscribe = links[language][1]
    locale = "zh-CN" if language == "zh-hans" else "en-US"
    context = browser.new_context(**{**PHONE, "locale": locale})
    page = context.new_page()
    page.goto(f"{live_server.url}/r/abcdefghij/")
    text = page.locator("main").inner_text()
    assert ("短链接无效" if language == "zh-hans" else "short link is not valid") in text
    _no_sideways_scroll(page, 390)
    page.screenshot(path=str(artifacts_dir / f"sms-forged-{language}.png"), full_page=True)
    page.goto(unsubscribe)
    masked = "138****8000" if language == "zh-hans" else "139****9000"
    assert masked in page.locator("main").inner_text()
    page.screenshot(path=str(artifacts_dir / f"sms-unsubscribe-{language}.png"), full_page=True)
    settings.SURVEYHUB_WECHAT_APP_ID, settings.SURVEYHUB_WECHAT_APP_SECRET = "wx-1", "s"
    survey_update(survey=survey, wechat_identity="once")
    desktop = browser.new_context(locale=locale, viewport={"width": 390, "height": 800})
    other = desktop.new_page()
    other.goto(f"{live_server.url}/s/{survey.slug}/")
    assert ("请在微信中打开" if language == "zh-hans" else "open this survey in WeChat") in (
        other.locator("main").inner_text()
    )
    other.screenshot(path=str(artifacts_dir / f"wechat-only-{language}.png"), full_page=True)
    desktop.close()
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_staff_pages_show_the_sms_channel_and_delivery(
    browser, live_server, texted, language, width, artifacts_dir, client
):
    from django.conf import settings as django_settings

    from tests.factories import UserFactory

    survey, _links = texted
    client.force_login(UserFactory(username=f"sms-staff-{language}-{width}",
                                   role="问卷设计 Designer"))  # fmt: skip
    context = browser.new_context(viewport={"width": width, "height": 900},
                                  locale="zh-CN" if language == "zh-hans" else "en-US")  # fmt: skip
    host = live_server.url.split("//")[1].split(":")[0]
    context.add_cookies([
        {"name": django_settings.SESSION_COOKIE_NAME,
         "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
         "domain": host, "path": "/"},
        {"name": django_settings.LANGUAGE_COOKIE_NAME, "value": language, "domain": host,
         "path": "/"},
    ])  # fmt: skip
    page = context.new_page()
    page.goto(f"{live_server.url}/staff/distributions/survey/{survey.pk}/")
    assert page.locator("select[name=channel] option[value=sms]").count() == 1
    # The form fits the screen (the staff tables scroll sideways on a phone, as before).
    form = page.locator("form.form").bounding_box()
    assert form["x"] >= 0 and form["x"] + form["width"] <= width
    page.screenshot(path=str(artifacts_dir / f"sms-staff-list-{language}-{width}.png"),
                    full_page=True)  # fmt: skip
    page.locator("table.distributions a").first.click()
    assert ("已提交给短信服务商" if language == "zh-hans" else "Handed to the SMS provider") in (
        page.locator("table.invitations").inner_text()
    )
    page.screenshot(path=str(artifacts_dir / f"sms-staff-detail-{language}-{width}.png"),
                    full_page=True)  # fmt: skip
    context.close()
