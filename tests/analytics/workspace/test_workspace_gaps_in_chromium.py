"""In Chromium: a workspace page opened before the night's run says "计算中…" and refreshes
itself until the worker is done; the alert rule form shows only the fields of the chosen
kind and names a wrong field in Chinese; and the changed pages are photographed at 390 and
1280 px in zh-Hans and English (tests/artifacts, and /work/shots/workspace_gaps)."""

from pathlib import Path

import pytest

from analytics.evaluations.tasks import compute_workspace_figures
from analytics.models import AlertRobot, AlertRule, WorkspaceFigures
from feedback.models import Topic
from surveyhub.security.roles import Role
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/work/shots/workspace_gaps")
PASSWORD = "pw-for-tests-1"  # the factories' test password


def login(browser, live_server, user, *, width: int = 1280, language: str = "zh-hans",
          javascript: bool = True):  # fmt: skip
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        locale="zh-CN" if language == "zh-hans" else "en-US",
        java_script_enabled=javascript,
    )
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return context, page


def photograph(browser, live_server, user, path: str, name: str, artifacts_dir, prepare=None,
               javascript: bool = True):  # fmt: skip
    """The page at 390 and 1280 px in both languages (after `prepare(page)`), checked for
    sideways scrolling; returns {(language, width): text}."""
    texts = {}
    for language in ("zh-hans", "en"):
        for width in (390, 1280):
            context, page = login(browser, live_server, user, width=width, language=language,
                                  javascript=javascript)  # fmt: skip
            response = page.goto(live_server.url + path)
            assert response.status == 200, (path, response.status)
            if prepare:
                prepare(page)
            overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
            assert overflow <= 1, f"{path} scrolls sideways by {overflow}px at {width}px"
            file = f"{name}-{language}-{width}.png"
            page.screenshot(path=str(artifacts_dir / file), full_page=True)
            if SHOTS.exists():
                page.screenshot(path=str(SHOTS / file), full_page=True)
            texts[(language, width)] = page.inner_text("body")
            context.close()
    return texts


def test_the_page_says_computing_and_refreshes_itself_until_the_worker_is_done(
    live_server, browser, artifacts_dir, two_quarters, private_broker
):
    manager = UserFactory(role=Role.MANAGER, username="经理_王")
    WorkspaceFigures.objects.all().delete()
    texts = photograph(browser, live_server, manager, "/staff/evaluations/2026Q2/",
                       "workspace-computing", artifacts_dir)  # fmt: skip
    assert "计算中" in texts[("zh-hans", 390)] and "Computing" in texts[("en", 1280)]

    context, page = login(browser, live_server, manager, language="zh-hans")
    page.goto(live_server.url + "/staff/evaluations/2026Q2/indicators/nps/")
    assert page.locator("[data-figures=computing]").is_visible()
    compute_workspace_figures.apply(args=[two_quarters["q2"].pk]).get()  # the worker's run
    # No click: the page reloads itself and shows the drill-down.
    page.wait_for_selector("#ws-by-segment", timeout=15_000)
    assert page.locator("[data-figures]").count() == 0
    context.close()


def test_the_rule_form_shows_the_fields_of_the_chosen_kind_only(
    live_server, browser, artifacts_dir
):
    admin = UserFactory(role=Role.ADMIN, username="admin_張")
    Topic.objects.create(key="queue", name="排队太久")
    hook = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcd-1234"
    AlertRobot.objects.create(name="客服群 企业微信", kind="wecom", url=hook)
    context, page = login(browser, live_server, admin)
    page.goto(live_server.url + "/staff/alerts/rules/new/")

    def shown(name: str) -> bool:
        return page.locator(f"[name={name}]").first.is_visible()

    assert shown("name") and shown("window") and not shown("threshold")  # no kind yet
    page.select_option("select[name=kind]", "below_target")
    assert shown("indicator") and not shown("threshold") and not shown("topic")
    assert not shown("significance")
    page.select_option("select[name=kind]", "topic_surge")
    assert shown("topic") and shown("threshold") and shown("significance")
    assert not shown("indicator")
    assert not page.locator(".al-used-for").first.is_visible()  # the notes are for no-JS

    page.fill("input[name=name]", "排队话题激增 📈")
    page.fill("input[name=threshold]", "0.5")
    page.click("button[type=submit].primary")
    summary = page.locator("#al-errors").inner_text()
    assert "阈值：" in summary and "0.5" in summary
    assert page.locator("select[name=kind]").input_value() == "topic_surge"
    assert shown("topic") and not shown("indicator")  # still by kind after the error
    page.fill("input[name=threshold]", "2")
    page.click("button[type=submit].primary")
    page.wait_for_url(live_server.url + "/staff/alerts/")
    context.close()
    rule = AlertRule.objects.get()
    assert rule.kind == "topic_surge" and rule.threshold == 2.0

    def choose_nps_drop(p):
        p.select_option("select[name=kind]", "nps_drop")

    photograph(browser, live_server, admin, "/staff/alerts/rules/new/", "rule-form-by-kind",
               artifacts_dir, prepare=choose_nps_drop)  # fmt: skip
    photograph(browser, live_server, admin, f"/staff/alerts/rules/{rule.pk}/", "rule-form-edit",
               artifacts_dir)  # fmt: skip
    texts = photograph(browser, live_server, admin, "/staff/alerts/rules/new/",
                       "rule-form-without-javascript", artifacts_dir, javascript=False)  # fmt: skip
    assert "仅用于：" in texts[("zh-hans", 390)] and "Used for:" in texts[("en", 1280)]
    robot = AlertRobot.objects.get()
    texts = photograph(browser, live_server, admin, f"/staff/alerts/robots/{robot.pk}/",
                       "robot-form-masked", artifacts_dir)  # fmt: skip
    assert "abcd-1234" not in texts[("en", 1280)] and "…1234" in texts[("en", 1280)]


def test_the_changed_pages_in_both_languages(live_server, browser, artifacts_dir, two_quarters):
    manager = UserFactory(role=Role.MANAGER, username="经理_李")
    topic = Topic.objects.create(key="delivery", name="配送慢 🚚")
    texts = photograph(browser, live_server, manager, f"/staff/feedback/topics/{topic.pk}/",
                       "topic-plan-button", artifacts_dir)  # fmt: skip
    assert "制定改进措施" in texts[("zh-hans", 390)]
    assert "Plan an improvement" in texts[("en", 1280)]
    texts = photograph(browser, live_server, manager, "/admin/dashboard/", "dashboard-plan",
                       artifacts_dir)  # fmt: skip
    assert "Plan an improvement" in texts[("en", 1280)]
    photograph(browser, live_server, manager,
               "/staff/evaluations/2026Q2/indicators/repurchase_rate/", "drill-by-store",
               artifacts_dir)  # fmt: skip


def test_the_period_page_with_its_figures_in_both_languages(
    live_server, browser, artifacts_dir, two_quarters
):
    manager = UserFactory(role=Role.MANAGER, username="经理_赵")
    compute_workspace_figures.apply(args=[two_quarters["q2"].pk]).get()
    texts = photograph(browser, live_server, manager, "/staff/evaluations/2026Q2/",
                       "workspace-period", artifacts_dir)  # fmt: skip
    assert "95% 置信区间" in texts[("zh-hans", 390)] and "流失率" in texts[("zh-hans", 1280)]
    assert "95% interval" in texts[("en", 390)] and "Churn" in texts[("en", 1280)]
    for text in texts.values():
        assert "计算中…" not in text and "Computing…" not in text
