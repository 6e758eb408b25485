"""In Chromium: the pages that draw user text with JavaScript (the dashboard, the explorer) and
the pages that show it server-side, loaded with payload data, never run a payload."""

import pytest

from tests.security.xss import dom_injections
from tests.support import PHONE

# `services`: the dashboard fires its chart requests in parallel at the threaded live server,
# which deadlocks on SQLite's shared in-memory connection (see the dashboard browser test).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
]

# Every label of every chart on the page (Chart.js draws them on the canvas, as text).
LABELS = """() => Array.from(document.querySelectorAll("canvas"))
  .map(c => Chart.getChart(c)).filter(Boolean)
  .flatMap(chart => (chart.data.labels || []).map(String))"""


def test_staff_pages_with_payload_data_run_no_script(live_server, browser, admin_user, world):
    context = browser.new_context(viewport={"width": 1180, "height": 820}, locale="zh-CN")
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", admin_user.username)
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")

    page.goto(live_server.url + "/admin/dashboard/")
    page.wait_for_selector("#dashboard[data-ready='1']")
    # Hover every chart so that tooltips (with topic and segment names) are drawn too.
    for canvas in page.locator("#dashboard canvas").all():
        canvas.scroll_into_view_if_needed()
        canvas.hover(force=True)
    labels = page.evaluate(LABELS)
    assert any(world.topic.name in label for label in labels), labels  # it reached a chart
    assert dom_injections(page) == []

    for path in (
        "/staff/feedback/",
        f"/staff/feedback/{world.item.pk}/",
        f"/staff/feedback/topics/{world.topic.pk}/",
        f"/staff/cases/{world.case.pk}/",
        f"/staff/customers/{world.customer.pk}/",
        f"/staff/surveys/{world.survey.pk}/",
        f"/admin/surveys/customer/{world.customer.pk}/change/",
    ):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert dom_injections(page) == [], path
    context.close()


def test_a_respondent_typing_payloads_runs_no_script(live_server, browser, world):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/s/{world.survey.slug}/")
    assert dom_injections(page) == []
    page.locator("label:has(input[name=nps][value='3'])").click()
    page.click("button[value=next]")
    page.locator("textarea[name=comment]").fill("</textarea><svg onload=alert(1)>差评😡")
    page.wait_for_timeout(900)  # the autosave fires; the page is then reloaded from the draft
    page.reload()
    assert page.input_value("textarea[name=comment]") == "</textarea><svg onload=alert(1)>差评😡"
    assert dom_injections(page) == []
    page.click("button[value=submit]")
    page.wait_for_load_state("networkidle")
    assert dom_injections(page) == []
    context.close()
