"""Issue #15's "done when", the report part, as the demo manager in Chromium: the workspace
opens on the demo's latest evaluated quarter with its index and four dimensions; the PDF
report button makes a report (the worker's task run here), the download link gives a PDF
whose extracted text reads right. (The alert to a local robot and the action's before/after
are walked in tests/analytics/actions/test_alerts_and_actions_in_chromium.py.)"""

import io
import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from pypdf import PdfReader

from analytics.workspace.queries import default_period, evaluation_detail, latest_snapshot
from tests.e2e.test_agent_and_manager_walk import _session_cookie
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


def test_the_demo_manager_sees_the_latest_quarter_and_downloads_a_pdf_that_reads_right(
    live_server, browser, demo, private_broker
):
    from analytics.models import Report
    from analytics.reports.tasks import generate_report

    require_pdf_rendering()
    period = default_period()
    assert period is not None and period.kind == "quarter"
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN",
                                  accept_downloads=True)  # fmt: skip
    context.add_cookies([_session_cookie(live_server, "manager")])
    context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + "/staff/evaluations/")

    from django.utils import translation

    with translation.override("zh-hans"):
        detail = evaluation_detail(latest_snapshot(period.code), full=False)
    heading = page.inner_text("h1")
    assert detail["period_label"] in heading
    cards = page.inner_text("#ws-index ~ .ws-cards")
    assert "综合指数" in cards and detail["index"]["text"] in cards
    for dimension in detail["dimensions"]:
        assert dimension["label"] in cards and dimension["index_text"] in cards

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
    context.close()

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
    report.refresh_from_db()
    assert report.downloads.get().via == "page"
