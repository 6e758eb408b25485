"""Matrix, ranking and date results on the results page in Chromium: their tables fit a
390 px phone (scrolling inside their own box) and a desktop, in Chinese and English, the date
chart is drawn, and no script fails."""

import os
from pathlib import Path

import pytest

from surveyhub.security.roles import Role
from tests.e2e.designer_session import signed_in_context
from tests.factories import UserFactory
from tests.surveys.results.test_grid_and_date_results import survey  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("SCREENSHOTS", "/work/shots/grid_results"))


@pytest.mark.parametrize(("width", "language"), [(390, "zh-hans"), (1280, "en")])
def test_the_grid_and_date_results_fit_and_draw(live_server, browser, survey, width, language):  # noqa: F811
    manager = UserFactory(role=Role.MANAGER)
    context = signed_in_context(browser, live_server, manager, width=width, language=language)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/staff/surveys/{survey.pk}/results/")
    page.wait_for_selector("body[data-charts-drawn]")
    assert page.locator("#chart-visit[data-drawn='1']").count() == 1  # dates by month
    grid = page.locator("#q-grid table.res-rows")
    assert grid.locator("tbody tr").count() == 3
    ranking = page.locator("#q-rank table.res-rows tbody tr")
    assert ranking.count() == 3
    assert ("平均名次" if language == "zh-hans" else "Mean place") in page.inner_text("#q-rank")
    width_now = page.evaluate("document.documentElement.scrollWidth")
    assert width_now <= width + 1, f"the page is {width_now}px wide on a {width}px screen"
    if SHOTS.parent.is_dir():
        SHOTS.mkdir(exist_ok=True)
        page.locator("#q-grid").screenshot(path=str(SHOTS / f"grid-{width}-{language}.png"))
        page.locator("#q-rank").screenshot(path=str(SHOTS / f"rank-{width}-{language}.png"))
        page.locator("#q-visit").screenshot(path=str(SHOTS / f"date-{width}-{language}.png"))
    assert problems == []
    context.close()
