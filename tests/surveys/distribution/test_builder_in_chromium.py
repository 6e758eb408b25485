"""In Chromium: a designer builds an audience, watches its size and the piped email update as
they type (our own script, CSP without unsafe-inline, no console errors), creates the
distribution, sees it ready in words and cancels it. Screenshots at 390 and 1280 px, zh-Hans
and en, in SCREENSHOTS (default /work/shots/distribution/)."""

import os
from pathlib import Path

import pytest
from django.test import Client

from surveys.models import CustomerTag, Distribution, DistributionStatus
from tests.factories import CustomerFactory, UserFactory, published_survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("SCREENSHOTS", "/work/shots/distribution"))
WIDTHS = {"phone": 390, "desktop": 1280}
WORDS = {
    "zh-hans": {"count": "位客户将收到邀请", "ready": "受众已就绪", "cancelled": "已取消"},
    "en": {"count": "customers would be invited now", "ready": "Audience ready",
           "cancelled": "Cancelled"},
}  # fmt: skip


def _session_cookie(live_server, user) -> dict:
    client = Client()
    client.force_login(user)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value,
            "url": live_server.url}  # fmt: skip


@pytest.fixture
def audience(db):
    vip = CustomerTag.objects.create(name="VIP客户")
    for i, (name, region) in enumerate([("王芳", "上海"), ("李雷😀", "上海"), ("陳美玲", "上海"),
                                        ("赵强", "北京"), ("Anna Liu", "上海")]):  # fmt: skip
        customer = CustomerFactory(name=name, region=region, email=f"kehu{i}@example.cn")
        if i < 2:
            customer.tags.add(vip)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_designer_sizes_an_audience_edits_the_email_and_cancels(
    live_server, browser, audience, language
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    survey = published_survey(consent_text="")
    designer = UserFactory(username=f"chromium-designer-{language}", role="问卷设计 Designer")
    words = WORDS[language]
    for device, width in WIDTHS.items():
        context = browser.new_context(
            viewport={"width": width, "height": 900}, locale=language,
            extra_http_headers={"Accept-Language": language},
        )  # fmt: skip
        context.add_cookies([_session_cookie(live_server, designer)])
        context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        page = context.new_page()
        problems: list[str] = []
        page.on("pageerror", lambda exc, problems=problems: problems.append(str(exc)))
        page.on("console", lambda msg, problems=problems: msg.type == "error"
                and problems.append(msg.text))  # fmt: skip

        page.goto(f"{live_server.url}/staff/distributions/survey/{survey.pk}/")
        page.fill("#id_region", "上海")
        page.wait_for_selector("#audience-count:text-is('4')", timeout=15_000)
        page.check("input[name=nps_group][value=detractor]")  # nobody has answered yet
        page.wait_for_selector("#audience-preview .error", timeout=15_000)
        page.uncheck("input[name=nps_group][value=detractor]")
        page.fill("#id_tags", "VIP客户")
        page.wait_for_selector("#audience-count:text-is('2')", timeout=15_000)
        page.fill("#id_email_subject", "{姓名}，想听听您的意见")
        page.fill("#id_email_body", "{name}您好：\n请花两分钟填写「{问卷标题}」：\n{link}")
        page.wait_for_selector(".email-subject:has-text('王芳，想听听您的意见')", timeout=15_000)
        preview = page.inner_text("#audience-preview")
        assert words["count"] in preview
        assert f"「{survey.title}」" in preview and "王芳" in preview
        page.screenshot(path=str(SHOTS / f"builder-{language}-{device}.png"), full_page=True)

        page.check("input[name=when][value=review]")
        page.click("button[value=create]")
        page.wait_for_selector(f"#distribution-status:has-text('{words['ready']}')",
                               timeout=20_000)  # fmt: skip
        page.screenshot(path=str(SHOTS / f"detail-ready-{language}-{device}.png"), full_page=True)
        page.click("button.danger")
        page.wait_for_selector(f"#distribution-status:has-text('{words['cancelled']}')")
        page.screenshot(
            path=str(SHOTS / f"detail-cancelled-{language}-{device}.png"), full_page=True
        )
        assert problems == []
        context.close()

    assert list(Distribution.objects.values_list("status", flat=True)) == [
        DistributionStatus.CANCELLED,
        DistributionStatus.CANCELLED,
    ]
