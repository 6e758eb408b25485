"""The results page of a survey with a pre-aggregate in Chromium: every chart drawn — the
hidden field's values among them — quality counts shown, "Other" texts only in their own
list, no console errors; on a phone and a desktop, in Chinese and English."""

from pathlib import Path

import pytest

from surveyhub.security.roles import Role
from surveys.results.cube import cube_refresh
from tests.factories import UserFactory
from tests.support import PHONE, require_postgresql
from tests.surveys.results.speed_data import speed_survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/work/shots/results_speed")
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture(autouse=True)
def _postgresql():
    require_postgresql("the results pre-aggregate is PostgreSQL's")


def _log_in(page, base):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "speed-manager")
    page.fill("input[name=password]", "pw-for-tests-1")
    page.locator("button.primary[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize(
    ("size", "locale", "words"),
    [(DESKTOP, "zh-CN", ("来源", "答题过快")), (PHONE, "en-US", ("Source", "Speeders")),
     (DESKTOP, "en-US", ("Source", "Speeders")), (PHONE, "zh-CN", ("来源", "答题过快"))],
    ids=["desktop-zh", "phone-en", "desktop-en", "phone-zh"],
)  # fmt: skip
def test_charts_hidden_values_and_quality_from_the_pre_aggregate(live_server, browser, size,
                                                                locale, words):  # fmt: skip
    survey = speed_survey()
    assert cube_refresh(survey=survey) == "built"
    UserFactory(username="speed-manager", role=Role.MANAGER)
    context = browser.new_context(**{**size, "locale": locale})
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    _log_in(page, live_server.url)

    page.goto(f"{live_server.url}/staff/surveys/{survey.pk}/results/?exclude=speeders")
    page.wait_for_selector("body[data-charts-drawn]")
    drawn = page.locator("canvas[data-drawn='1']").count()
    # nps, csat, three ratings, visit, reasons and the hidden field src.
    assert drawn == int(page.get_attribute("body", "data-charts-drawn")) == 8
    painted = page.evaluate(
        """() => { const c = document.getElementById('chart-src');
                   const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                   return d.some(v => v !== 0); }"""
    )
    assert painted
    hidden = page.locator("#q-src").inner_text()
    assert words[0] in hidden and "wechat" in hidden and "sms" in hidden
    assert words[1] in page.locator(".res-quality").inner_text()
    assert "包裝破損" in page.locator("#other-texts").inner_text()
    assert "包裝破損" not in page.locator("#free-text").inner_text()
    tag = f"{size['viewport']['width']}-{locale}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"results-{tag}.png"), full_page=True)
    assert problems == []
    context.close()
