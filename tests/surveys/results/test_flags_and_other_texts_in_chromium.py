"""The results page with the duplicate-device flag and the "Other" texts, and a response
page showing its device, in Chromium on a phone and a desktop, in Chinese and English: the
sections are there and readable, the filter excludes, no console errors."""

from pathlib import Path

import pytest
from django.test import Client

from surveyhub.security.roles import Role
from tests.factories import UserFactory, submitted_response
from tests.support import PHONE
from tests.surveys.results.helpers import survey_with_answers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/work/shots/h2")
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def _survey():
    survey = survey_with_answers()
    for text in ["颜色不对 🎨", "發票開錯了"]:
        submitted_response(
            survey=survey, data={"nps": 4, "reason": ["__other__"], "reason_other": text}
        )
    for nps in (9, 2):
        Client().post(
            f"/api/v1/public/surveys/{survey.slug}/responses/",
            {"answers": {"nps": nps}, "device_id": "same-phone-0001", "consent": True},
            content_type="application/json",
        )
    return survey


@pytest.mark.parametrize(
    ("size", "locale", "words"),
    [
        (PHONE, "zh-CN", ("“其他”选项的填写内容", "重复设备 · 1", "同一设备的另外 1 份答卷")),
        (DESKTOP, "zh-CN", ("“其他”选项的填写内容", "重复设备 · 1", "同一设备的另外 1 份答卷")),
        (PHONE, "en-US", ("“Other” answers", "Duplicate devices · 1", "1 other response from")),
        (DESKTOP, "en-US", ("“Other” answers", "Duplicate devices · 1", "1 other response from")),
    ],
    ids=["phone-zh", "desktop-zh", "phone-en", "desktop-en"],
)
def test_flags_and_other_texts_are_shown(live_server, browser, size, locale, words):
    survey = _survey()
    UserFactory(username="results-manager", role=Role.MANAGER)
    context = browser.new_context(**{**size, "locale": locale})
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "results-manager")
    page.fill("input[name=password]", "pw-for-tests-1")
    page.locator("button.primary[type=submit]").click()
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/staff/surveys/{survey.pk}/results/")
    page.wait_for_selector("body[data-charts-drawn]")
    other = page.locator("#other-texts")
    assert words[0] in other.inner_text()
    assert "發票開錯了" in other.inner_text() and "包装破损" in other.inner_text()
    assert words[1] in page.content()
    tag = f"{size['viewport']['width']}-{locale}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"results-{tag}.png"), full_page=True)
    other.screenshot(path=str(SHOTS / f"other-texts-{tag}.png"))

    page.goto(f"{live_server.url}/staff/surveys/{survey.pk}/results/?exclude=duplicates")
    page.wait_for_selector("body[data-charts-drawn]")
    assert "11" in page.locator(".res-count").inner_text()  # 12 responses, one duplicate

    later = survey.responses.filter(nps_score=2).exclude(device_key="").get()
    page.goto(f"{live_server.url}/staff/surveys/{survey.pk}/responses/{later.pk}/")
    assert words[2] in page.content()
    page.screenshot(path=str(SHOTS / f"response-{tag}.png"), full_page=True)
    assert problems == []
