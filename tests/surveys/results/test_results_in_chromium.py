"""The results page in Chromium: every chart drawn, a filter applied through the form and
kept in the URL, no console errors; on a phone and a desktop, in Chinese and English."""

from pathlib import Path

import pytest

from surveyhub.security.roles import Role
from tests.factories import UserFactory
from tests.support import PHONE
from tests.surveys.results.helpers import survey_with_answers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/h1")


def _log_in(page, base):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "results-manager")
    page.fill("input[name=password]", "pw-for-tests-1")
    page.locator("button.primary[type=submit]").click()
    page.wait_for_load_state()


ZH, EN = "2 份已完成的答卷符合筛选条件", "2 completed responses match the filters"
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.mark.parametrize(
    ("size", "locale", "count_text"),
    [(DESKTOP, "zh-CN", ZH), (PHONE, "en-US", EN), (DESKTOP, "en-US", EN), (PHONE, "zh-CN", ZH)],
    ids=["desktop-zh", "phone-en", "desktop-en", "phone-zh"],
)
def test_charts_are_drawn_and_a_filter_applies(
    live_server, browser, artifacts_dir, size, locale, count_text
):
    survey = survey_with_answers()
    UserFactory(username="results-manager", role=Role.MANAGER)
    context = browser.new_context(**{**size, "locale": locale})
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    _log_in(page, live_server.url)

    page.goto(f"{live_server.url}/staff/surveys/{survey.pk}/results/")
    page.wait_for_selector("body[data-charts-drawn]")
    drawn = page.locator("canvas[data-drawn='1']").count()
    assert drawn == int(page.get_attribute("body", "data-charts-drawn")) == 3
    # Chart.js painted something: the NPS canvas is not blank.
    painted = page.evaluate(
        """() => { const c = document.getElementById('chart-nps');
                   const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                   return d.some(v => v !== 0); }"""
    )
    assert painted
    tag = f"{size.get('viewport', {}).get('width')}-{locale}"
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"results-{tag}.png"), full_page=True)

    page.select_option("#f-channel", "link")
    page.locator("#res-filters button[type=submit]").click()
    page.wait_for_url("**channel=link**")
    page.wait_for_selector("body[data-charts-drawn]")
    assert count_text in page.inner_text(".res-count")
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    wide = page.evaluate(
        """(w) => [...document.querySelectorAll('body *')]
             .filter(e => e.getBoundingClientRect().right > w + 1).slice(0, 5)
             .map(e => e.tagName + '.' + e.className + '#' + e.id)""",
        viewport,
    )
    assert width <= viewport + 1, f"page is {width}px wide on a {viewport}px screen: {wide}"
    page.screenshot(path=str(artifacts_dir / f"results-filtered-{tag}.png"), full_page=True)
    page.screenshot(path=str(SHOTS / f"results-filtered-{tag}.png"), full_page=True)
    assert problems == []
    context.close()
