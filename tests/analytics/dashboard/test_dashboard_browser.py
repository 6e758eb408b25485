"""A manager logs in, opens the dashboard in Chromium, narrows it to one channel, and every
chart is drawn without a console error."""

import pytest

# `services`: the page fires its chart requests in parallel at Django's threaded live server;
# on SQLite that server shares one in-memory connection between threads and deadlocks, so
# this test needs PostgreSQL (as in CI and production).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
]

CANVASES = [
    "chart-nps-trend", "chart-nps-distribution", "chart-csat-trend", "chart-ces-trend",
    "chart-sentiment", "chart-topics", "chart-rfm", "chart-matrix", "chart-service",
]  # fmt: skip

# For each canvas: has Chart.js drawn a chart on it, and how many data values does it hold?
DRAWN = """ids => ids.map(id => {
  const chart = Chart.getChart(document.getElementById(id));
  const values = chart ? chart.data.datasets.reduce((n, d) => n + d.data.length, 0) : 0;
  return [id, Boolean(chart), values];
})"""


def test_manager_filters_the_dashboard_and_every_chart_is_drawn(
    live_server, browser, artifacts_dir, manager, dataset
):
    context = browser.new_context(
        viewport={"width": 1180, "height": 820}, locale="zh-CN", has_touch=True
    )  # a landscape tablet
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", manager.username)
    page.fill("#id_password", "pw-for-tests-1")
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    # From here on, the dashboard's own console (the admin pages ask for a favicon we lack).
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.click("a[href='/admin/dashboard/']")
    page.wait_for_selector("#dashboard[data-ready='1']")
    assert page.locator("#tiles .dash-tile").count() == 8

    page.select_option("select[name=channel]", "wechat")
    assert "channel=wechat" not in page.url  # filters apply on "Apply" only
    page.click("#dash-filters button[type=submit]")
    # Applying marks the page not ready at once; wait until every chart is redrawn.
    page.wait_for_selector("#dashboard[data-ready='1']")
    assert "channel=wechat" in page.url  # kept in the URL: the view can be shared

    drawn = page.evaluate(DRAWN, CANVASES)
    assert [(name, ok) for name, ok, _values in drawn] == [(name, True) for name in CANVASES]
    assert all(values > 0 for _name, _ok, values in drawn), drawn
    distribution = page.evaluate(
        "Chart.getChart(document.getElementById('chart-nps-distribution'))"
        ".data.datasets.map(d => d.data.reduce((a, b) => a + b, 0))"
    )
    assert distribution == [1, 0, 1]  # wechat: one detractor (3), one promoter (10)
    assert "channel=wechat" in page.get_attribute("#export-xlsx", "href")
    assert "高价值客户" not in page.inner_text("#hv-detractors")  # a promoter on wechat
    page.screenshot(path=str(artifacts_dir / "dashboard.png"), full_page=True)

    page.reload()  # the URL keeps the filters: a shared link shows the same view
    page.wait_for_selector("#dashboard[data-ready='1']")
    assert page.input_value("select[name=channel]") == "wechat"

    # Click-through: the topic's bar opens the feedback behind it.
    bar = page.evaluate(
        "(() => { const c = Chart.getChart(document.getElementById('chart-topics'));"
        " const b = c.getDatasetMeta(0).data[0]; return [b.x + (b.base - b.x) / 2, b.y]; })()"
    )
    page.locator("#chart-topics").scroll_into_view_if_needed()
    box = page.locator("#chart-topics").bounding_box()
    page.mouse.click(box["x"] + bar[0], box["y"] + bar[1])
    page.wait_for_url("**/staff/feedback/?*")
    assert f"topic={dataset.topic.pk}" in page.url
    context.close()
    assert errors == []
