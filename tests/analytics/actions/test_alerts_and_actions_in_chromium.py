"""In Chromium, as the issue's "done when" says: an Admin adds a DingTalk robot and an NPS
rule on the staff pages; the rule fires to the local robot endpoint (signature verified);
the manager opens on the tasks, plans an improvement from the missed indicator in the
workspace, and the action shows its before/after. Every page is photographed at 390 and
1280 px in zh-Hans and English (tests/artifacts, and /work/shots/h7 when it exists)."""

import datetime as dt
from pathlib import Path

import pytest

from analytics.alerts.services import alerts_evaluate, deliveries_send_due
from analytics.evaluations.periods import local_today
from analytics.evaluations.scorecard import evaluation_compute
from analytics.models import Alert, AlertRobot, AlertRule, ImprovementAction
from surveyhub.security.roles import Role
from tests.analytics.actions.conftest import answer
from tests.analytics.alerts.robot_server import (
    add_dingtalk_robot_on_the_page,
    running_robot_server,
)
from tests.factories import UserFactory, published_survey

# The live server answers several requests at once: PostgreSQL, as in the dashboard test.
pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/work/shots/h7")


def months_back(n: int) -> dt.date:
    """The 10th of the month `n` complete months before this one."""
    day = local_today().replace(day=1)
    for _ in range(n):
        day = (day - dt.timedelta(days=1)).replace(day=1)
    return day.replace(day=10)


def month_code(day: dt.date) -> str:
    return f"{day.year}-{day.month:02d}"


@pytest.fixture
def story(db):
    """Three months ago NPS −50 (missed), two months ago +40, last month −20 (a drop)."""
    survey = published_survey(consent_text="")
    baseline, better, worse = months_back(3), months_back(2), months_back(1)
    for day, (promoters, passives, detractors) in (
        (baseline, (20, 10, 70)), (better, (60, 20, 20)), (worse, (30, 20, 50)),
    ):  # fmt: skip
        answer(survey, day, promoters, nps_score=10)
        answer(survey, day, passives, nps_score=8)
        answer(survey, day, detractors, nps_score=3)
    for day in (baseline, better, worse):
        evaluation_compute(period=month_code(day))
    return {"baseline": month_code(baseline)}


def login(browser, live_server, user, *, width: int, language: str):
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        locale="zh-CN" if language == "zh-hans" else "en-US",
    )
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", "pw-for-tests-1")
    page.press("input[name=password]", "Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return context, page


def photograph(browser, live_server, user, path: str, name: str, artifacts_dir) -> dict:
    """The page at 390 and 1280 px in both languages; returns {(lang, width): text}."""
    texts = {}
    for language in ("zh-hans", "en"):
        for width in (390, 1280):
            context, page = login(browser, live_server, user, width=width, language=language)
            response = page.goto(live_server.url + path)
            assert response.status == 200, (path, response.status)
            overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
            assert overflow <= 1, f"{path} scrolls sideways by {overflow}px at {width}px"
            file = f"{name}-{language}-{width}.png"
            page.screenshot(path=str(artifacts_dir / file), full_page=True)
            if SHOTS.exists():
                page.screenshot(path=str(SHOTS / file), full_page=True)
            texts[(language, width)] = page.inner_text("body")
            context.close()
    return texts


def test_an_alert_fires_to_a_robot_and_an_action_shows_its_before_and_after(
    live_server, browser, artifacts_dir, story
):
    admin = UserFactory(role=Role.ADMIN, username="admin_张")
    manager = UserFactory(role=Role.MANAGER, username="manager_李", email="li@example.cn")
    with running_robot_server() as robots:
        # The Admin adds a signed DingTalk robot and a month-over-month NPS rule.
        context, page = login(browser, live_server, admin, width=1280, language="zh-hans")
        add_dingtalk_robot_on_the_page(page, live_server.url, robots, "管理层 钉钉群 🔔")
        page.goto(live_server.url + "/staff/alerts/rules/new/")
        page.fill("input[name=name]", "NPS 月环比显著下降")
        page.select_option("select[name=kind]", "nps_drop")
        page.select_option("select[name=window]", "month")
        page.fill("input[name=threshold]", "10")
        page.check(f"input[name=robots][value='{AlertRobot.objects.get().pk}']")
        page.click("button[type=submit].primary")
        page.wait_for_url(live_server.url + "/staff/alerts/")
        context.close()
        assert AlertRule.objects.get().robots.count() == 1

        # The hourly check fires and delivers (what the beat task runs).
        fired = alerts_evaluate()
        assert len(fired) == 1
        deliveries_send_due()
        (received,) = robots.to("dingtalk")
        assert received.signature_ok is True
        assert "NPS" in received.body["markdown"]["text"]

    for path, name in (("/staff/alerts/", "alerts-index"),
                       ("/staff/alerts/history/", "alerts-history"),
                       ("/staff/alerts/rules/new/", "rule-form")):  # fmt: skip
        photograph(browser, live_server, admin, path, name, artifacts_dir)

    # The manager's home opens on the tasks, the open alert among them.
    texts = photograph(browser, live_server, manager, "/staff/", "manager-home", artifacts_dir)
    assert "NPS" in texts[("en", 1280)] and "Open alerts" in texts[("en", 1280)]
    assert "未关闭的预警" in texts[("zh-hans", 390)]
    texts = photograph(browser, live_server, manager, "/admin/", "admin-index", artifacts_dir)
    assert "Today's tasks" in texts[("en", 1280)] and "今日任务" in texts[("zh-hans", 1280)]

    # From the missed NPS of the baseline month, the manager plans an improvement.
    baseline = story["baseline"]
    photograph(
        browser, live_server, manager, f"/staff/evaluations/{baseline}/", "workspace", artifacts_dir
    )
    context, page = login(browser, live_server, manager, width=390, language="zh-hans")
    page.goto(f"{live_server.url}/staff/evaluations/{baseline}/")
    page.click(f"a[href='/staff/actions/new/?indicator=nps&period={baseline}']")
    page.fill("input[name=title]", "48 小时内回访全部贬损者 📞")
    page.fill("input[name=expected_change]", "20")
    page.fill("input[name=due_date]", (local_today() + dt.timedelta(days=20)).isoformat())
    page.click("button[type=submit].primary")
    page.wait_for_selector("#ac-effect")
    context.close()
    action = ImprovementAction.objects.get()
    assert action.baseline_period == baseline and action.baseline_value == -50.0

    texts = photograph(
        browser,
        live_server,
        manager,
        f"/staff/actions/{action.pk}/",
        "action-detail",
        artifacts_dir,
    )
    english = texts[("en", 1280)]
    assert "(before): −50.0" in english and "Significant improvement (p < 0.001)." in english
    assert "显著改善" in texts[("zh-hans", 390)]
    photograph(browser, live_server, manager, "/staff/actions/", "actions-list", artifacts_dir)
    assert Alert.objects.get().status == "open"
