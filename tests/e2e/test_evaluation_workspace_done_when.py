"""Issue #15's "done when" as one walk on the demo (`seed_demo`) in Chromium: the workspace
opens on the latest evaluated quarter with its index and four dimensions; the PDF report button
makes a report (the worker's task run here) whose download reads right (its text extracted);
the demo Admin points a "misses its target" rule at a local DingTalk robot, the hourly alert
task fires and the robot receives the signed message; the demo manager plans an improvement
from a missed indicator on the workspace, and the action shows its before and after with the
significance of the change."""

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import translation
from pypdf import PdfReader

from analytics.evaluations.periods import local_today
from analytics.workspace.queries import default_period, evaluation_detail, latest_snapshot
from tests.analytics.alerts.robot_server import (
    add_dingtalk_robot_on_the_page,
    running_robot_server,
)
from tests.e2e.designer_session import collect_errors, signed_in_context
from tests.support import require_pdf_rendering

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]

RAW_CODES = ("general_develop", "value_growth", "no_data", "after_sales", "repurchase_rate",
             "retention_rate", "上一页", "None", "nan")  # fmt: skip


@pytest.fixture
def demo(settings, monkeypatch, django_capture_on_commit_callbacks):
    from django.core.mail import get_connection

    import surveys.distribution.demo

    settings.DEMO_MODE = True
    monkeypatch.setattr(surveys.distribution.demo, "get_connection",
                        lambda *args, **kwargs: get_connection(settings.EMAIL_BACKEND))  # fmt: skip
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")


def the_demo_user(username: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def missed_tested_indicator(before_code: str) -> tuple[str, str]:
    """A quarter before `before_code` whose scorecard missed an indicator tested for
    significance (NPS, CSAT, promoter share), the latest such: (period, indicator)."""
    from analytics.actions.queries import TESTED
    from analytics.models import EvaluationSnapshot

    for snapshot in EvaluationSnapshot.objects.filter(period__contains="Q").order_by(
        "-period_start"
    ):
        if snapshot.period == before_code:
            continue
        for indicator in snapshot.result["indicators"]:
            if indicator["code"] in TESTED and indicator.get("status") == "missed":
                return snapshot.period, indicator["code"]
    raise AssertionError("the demo has no quarter with a missed NPS, CSAT or promoter share")


def check_the_workspace(page, period) -> dict:
    """The latest quarter's index and its four dimensions, as the workspace computes them."""
    with translation.override("zh-hans"):
        detail = evaluation_detail(latest_snapshot(period.code), full=False)
    assert detail["period_label"] in page.inner_text("h1")
    cards = page.inner_text("#ws-index ~ .ws-cards")
    assert "综合指数" in cards and detail["index"]["text"] in cards
    for dimension in detail["dimensions"]:
        assert dimension["label"] in cards and dimension["index_text"] in cards
    return detail


def download_the_pdf_report(page, period) -> bytes:
    from analytics.models import Report
    from analytics.reports.tasks import generate_report

    page.click("button[name=format][value=pdf]")
    page.wait_for_url(re.compile(rf"/staff/evaluations/{period.code}/#ws-reports$"))
    report = Report.objects.get(period=period.code, format="pdf")
    generate_report.apply(args=[report.pk]).get()  # the worker's run
    page.reload()
    with page.expect_download() as info:
        page.click("#ws-reports a:has-text('下载')")
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    content = Path(download.path()).read_bytes()
    report.refresh_from_db()
    assert report.downloads.get().via == "page"
    return content


def check_the_pdf_reads_right(content: bytes, detail: dict) -> None:
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    first = re.sub(r"\s+", "", reader.pages[0].extract_text())
    assert "客户关系评价报告" in first and re.sub(r"\s+", "", detail["period_label"]) in first
    assert "综合指数" in first and detail["index"]["text"] in first
    for dimension in detail["dimensions"]:
        assert dimension["label"] in first
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "上期" in text and "推荐者" in text and "贬损者" in text
    assert "暂无工单数据" not in re.sub(r"\s+", "", text)
    for code in RAW_CODES:
        assert code not in text, code


def add_a_robot_and_a_target_rule(browser, live_server, robots, *, indicator: str) -> list:
    """The demo Admin, on the alert pages: a signed DingTalk robot at the local endpoint and a
    quarterly "misses its target" rule on `indicator` sent to it. Returns the page errors."""
    from analytics.models import AlertRobot

    context = signed_in_context(
        browser, live_server, the_demo_user("admin"), width=1280, language="zh-hans"
    )
    page = context.new_page()
    errors = collect_errors(page)
    add_dingtalk_robot_on_the_page(page, live_server.url, robots, "经营分析 钉钉群 🔔")
    page.goto(live_server.url + "/staff/alerts/rules/new/")
    page.fill("input[name=name]", "季度指标未达标")
    page.select_option("select[name=kind]", "below_target")
    page.select_option("select[name=window]", "quarter")
    page.select_option("select[name=indicator]", indicator)
    page.check(f"input[name=robots][value='{AlertRobot.objects.get().pk}']")
    page.click("button[type=submit].primary")
    page.wait_for_url(live_server.url + "/staff/alerts/")
    context.close()
    return errors


def test_the_demo_manager_walks_the_issues_done_when(live_server, browser, demo, private_broker):
    from analytics.actions.queries import snapshot_value
    from analytics.alerts.tasks import evaluate_alerts
    from analytics.models import Alert, ImprovementAction
    from analytics.workspace import words

    require_pdf_rendering()
    period = default_period()
    assert period is not None and period.kind == "quarter"
    missed_period, indicator = missed_tested_indicator(period.code)
    missed_value = snapshot_value(indicator, missed_period)

    # An alert fires to a local robot: the Admin's rule, the hourly task run in-process.
    with running_robot_server() as robots:
        errors = add_a_robot_and_a_target_rule(browser, live_server, robots, indicator=indicator)
        assert evaluate_alerts.apply().get() == 1
        (received,) = robots.to("dingtalk")
    alert = Alert.objects.get()
    assert alert.details["indicator"] == indicator and alert.details["period"] == missed_period
    assert received.signature_ok is True
    assert received.body["msgtype"] == "markdown"
    text = received.body["markdown"]["text"]
    assert alert.title in text and alert.message in text
    with translation.override("zh-hans"):  # the site's language, the robot's message's
        assert words.value_text(indicator, missed_value) in text
    assert f"/staff/alerts/history/#alert-{alert.pk}" in text
    assert alert.deliveries.get(robot__isnull=False).status == "sent"

    # The manager: the workspace on the latest quarter, and its PDF report.
    context = signed_in_context(
        browser, live_server, the_demo_user("manager"), width=1280, language="zh-hans"
    )
    page = context.new_page()
    errors += collect_errors(page)
    page.goto(live_server.url + "/staff/")
    assert alert.title in page.inner_text("main")  # the open alert among the tasks
    page.goto(live_server.url + "/staff/evaluations/")
    detail = check_the_workspace(page, period)
    check_the_pdf_reads_right(download_the_pdf_report(page, period), detail)

    # An improvement planned from the missed indicator shows its before and after.
    page.goto(f"{live_server.url}/staff/evaluations/{missed_period}/")
    page.click(f"a[href='/staff/actions/new/?indicator={indicator}&period={missed_period}']")
    page.fill("input[name=title]", "48 小时内回访全部贬损者 📞")
    page.fill("input[name=expected_change]", "5")
    page.fill("input[name=due_date]", (local_today() + dt.timedelta(days=20)).isoformat())
    page.click("button[type=submit].primary")
    page.wait_for_selector("#ac-effect")
    action = ImprovementAction.objects.get()
    assert action.baseline_period == missed_period
    assert action.baseline_value == pytest.approx(missed_value, abs=1e-3)  # the snapshot rounds
    before = page.inner_text("section[aria-labelledby=ac-effect] > p")
    after = page.inner_text("section[aria-labelledby=ac-effect] tbody tr:first-child")
    context.close()
    with translation.override("zh-hans"):  # as the page (another test may leave "en" active)
        assert words.period_label(missed_period) in before
        assert words.value_text(indicator, missed_value) in before
        assert words.period_label(period.code) in after  # the next quarter
    assert re.search(r"p (<|=) 0\.\d{3}", after), after  # with the change's significance
    assert not errors, errors
