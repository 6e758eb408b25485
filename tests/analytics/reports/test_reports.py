"""Period reports from the API and the workspace: PDF and Excel in words and rounded numbers,
the cases section filled, charts and fonts embedded, bad requests refused in Chinese, files
kept with a download log, mailed to the Managers over real SMTP, and the quarterly schedule."""

import io
import re

import pytest
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from analytics.models import Report, ReportDownload
from analytics.reports.services import quarterly_reports_request
from analytics.workspace import words
from surveyhub.security.roles import Role
from surveyhub.spreadsheets.formula_guard import safe_cell
from tests.analytics.workspace.conftest import client_for
from tests.support import require_pdf_rendering
from tests.surveys.distribution.smtp import SmtpServer

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
RAW_CODES = ("general_develop", "important_value", "value_growth", "no_data", "after_sales",
             "repurchase_rate", "retention_rate", "None", "nan")  # fmt: skip


def request_report(client, capture, **data):
    with capture(execute=True):
        response = client.post("/api/v1/reports/", data, content_type="application/json", **ZH)
    assert response.status_code == 202, response.content
    return client.get(f"/api/v1/reports/{response.json()['id']}/").json()


def download(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_report_reads_right_in_chinese_with_the_numbers_of_the_workspace(
    manager, quarter, django_capture_on_commit_callbacks
):
    require_pdf_rendering()
    report = request_report(manager, django_capture_on_commit_callbacks, period="2026Q2",
                            format="pdf")  # fmt: skip

    assert report["status"] == "succeeded" and report["language"] == "zh-hans"
    content = download(manager, report["download_url"])
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    first = reader.pages[0].extract_text()
    # A one-page summary first: title, period label, the index and the four dimensions.
    assert "客户关系评价报告" in first and "2026 年第 2 季度" in first
    assert "综合指数" in first and "概览" in first
    for dimension in ("满意度", "忠诚度", "价值增长", "服务体验"):
        assert dimension in first
    assert "维度与指标" not in first  # the indicators start on the next page
    text = pdf_text(content)
    flat = re.sub(r"\s+", "", text)
    # NPS Q2 = 40.0 against Q1's 33.3: "上期", never "上一页"; change in points.
    assert "上期" in text and "上一页" not in text
    assert "40.0" in flat and "33.3" in flat and "+6.7分" in flat
    with translation.override("zh-hans"):  # every indicator with its definition
        for name, definition, _unit in words.INDICATORS.values():
            assert re.sub(r"\s+", "", str(definition)) in flat and str(name) in text
    # The headline: promoters vs detractors after answering, and the value at risk.
    assert "推荐者" in text and "贬损者" in text and "风险价值" in flat
    # The cases section: 29 cases opened in Q2, 20 resolved — not "no case data".
    assert "暂无工单数据" not in flat
    assert "本期新建工单29个" in flat and "已解决" in flat and "69.0%" in flat
    for code in RAW_CODES:
        assert code not in text, code
    # Chinese fonts embedded (subset), the charts drawn in.
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]))
            descendant = font["/DescendantFonts"][0].get_object()
            assert "/FontFile3" in descendant["/FontDescriptor"] or (
                "/FontFile2" in descendant["/FontDescriptor"]
            )
    assert any("CJK" in name for name in fonts), fonts


def test_pdf_report_in_english_when_asked_in_english(
    manager, quarter, django_capture_on_commit_callbacks
):
    require_pdf_rendering()
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(
            "/api/v1/reports/", {"period": "2026Q2", "format": "pdf"},
            content_type="application/json", HTTP_ACCEPT_LANGUAGE="en",
        )  # fmt: skip
    report = manager.get(f"/api/v1/reports/{response.json()['id']}/").json()

    text = pdf_text(download(manager, report["download_url"]))
    assert "Relationship evaluation report" in text and "Q2 2026" in text
    assert "Previous" in text and "Promoters" in text and "29 cases opened" in text


def test_excel_report_has_named_sheets_labels_and_rounded_numbers(
    manager, quarter, django_capture_on_commit_callbacks
):
    report = request_report(manager, django_capture_on_commit_callbacks, period="2026Q2",
                            format="xlsx")  # fmt: skip

    book = load_workbook(io.BytesIO(download(manager, report["download_url"])))
    assert book.sheetnames == ["概览", "指标", "趋势", "按月", "推荐者与贬损者", "细分", "话题",
                               "工单"]  # fmt: skip
    summary = list(book["概览"].iter_rows(values_only=True))
    api = manager.get("/api/v1/evaluations/2026Q2/").json()
    assert summary[0][:2] == ("周期", "2026 年第 2 季度")
    assert ("综合指数", round(api["overall_index"], 1)) == summary[3][:2]
    indicators = list(book["指标"].iter_rows(values_only=True))
    assert indicators[0][:6] == ("维度", "指标", "值", "目标", "上期", "变化")
    nps = next(row for row in indicators if row[1] == "NPS")
    assert nps[:6] == ("满意度", "NPS", "40.0", "30.0", "33.3", "+6.7 分")
    assert nps[7] == "n = 5 个回答"
    cases = list(book["工单"].iter_rows(values_only=True))
    assert cases[0][:2] == ("新建工单", 29) and cases[1][:3] == ("已解决", 20, "69.0%")
    assert ("已解决", 20) in [row[:2] for row in cases[6:]]
    assert ("新建", 9) in [row[:2] for row in cases[6:]]
    every = " ".join(str(v) for ws in book.worksheets for r in ws.iter_rows(values_only=True)
                     for v in r if v is not None)  # fmt: skip
    for code in RAW_CODES:
        assert code not in every, code


def test_topic_names_cannot_inject_formulas_into_the_workbook(
    manager, quarter, django_capture_on_commit_callbacks
):
    report = request_report(manager, django_capture_on_commit_callbacks, period="2026Q2",
                            format="xlsx")  # fmt: skip

    topics = load_workbook(io.BytesIO(download(manager, report["download_url"])))["话题"]
    names = [row[1] for row in topics.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://x.example","点我")' in names
    cell = next(c for c in topics["B"] if c.value and "HYPERLINK" in c.value)
    assert cell.data_type == "s"


@pytest.mark.parametrize("text", ["=1+2", "+86 138", "-5", "@SUM(A1)", "\t=x"])
def test_cells_starting_with_formula_characters_get_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["物流慢", "", -5, 3.5, None])
def test_other_cells_are_left_alone(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"period": "2026Q5"}, "period", "不是"),
        ({"period": "下季度"}, "period", "不是"),
        ({"period": "2099Q1"}, "period", "尚未开始"),
        ({"period": "2019Q1"}, "period", "没有任何答卷和订单"),
        ({"period": "2026Q2", "format": "docx"}, "format", ""),
    ],
)
def test_a_bad_request_is_a_clear_400_and_nothing_is_recorded(manager, quarter, data, field, words):
    response = manager.post("/api/v1/reports/", data, content_type="application/json", **ZH)

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert field in errors and words in " ".join(errors[field])
    assert Report.objects.count() == 0


def test_agents_cannot_request_reports(quarter):
    agent = client_for(Role.AGENT)

    assert agent.post("/api/v1/reports/", {"period": "2026Q2"}).status_code == 403
    assert agent.post("/staff/evaluations/2026Q2/reports/", {"format": "pdf"}).status_code == 403
    assert Report.objects.count() == 0


def test_the_workspace_button_makes_a_report_listed_with_its_download_log(
    manager, quarter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post("/staff/evaluations/2026Q2/reports/", {"format": "xlsx"}, **ZH)

    assert response.status_code == 302 and response["Location"].endswith("/2026Q2/#ws-reports")
    report = Report.objects.get()
    assert (report.format, report.status, report.period) == ("xlsx", "succeeded", "2026Q2")
    page = manager.get("/staff/evaluations/2026Q2/", **ZH).content.decode()
    url = f"/staff/evaluations/reports/{report.pk}/download/"
    assert url in page and "Excel" in page and "报告正在生成" in page
    download(manager, url)
    download(manager, f"/api/v1/reports/{report.pk}/download/")
    log = list(ReportDownload.objects.order_by("id").values_list("via", "user__username"))
    assert [via for via, _user in log] == ["page", "api"]
    assert log[0][1] is not None


def test_a_report_is_mailed_to_every_manager_over_smtp(
    manager, quarter, managers, settings, django_capture_on_commit_callbacks
):
    require_pdf_rendering()
    with SmtpServer() as smtp:
        for name, value in smtp.settings().items():
            setattr(settings, name, value)
        report = request_report(manager, django_capture_on_commit_callbacks, period="2026Q2",
                                format="pdf", email_managers=True)  # fmt: skip

    assert report["emailed_to"] == 3  # the two managers and the one asking; not the agent
    received = {m["To"]: m for m in smtp.handler.messages}
    assert {"wang.mgr@example.cn", "li.mgr@example.cn"} <= set(received)
    assert "agent@example.cn" not in received
    message = received["wang.mgr@example.cn"]
    assert message["Subject"].strip() == "客户关系评价报告 · 2026 年第 2 季度"
    attachment = next(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert "客户关系评价报告" in pdf_text(attachment.get_content())
    assert "/staff/evaluations/2026Q2/" in message.get_body(("plain",)).get_content()


def test_the_quarterly_schedule_makes_and_mails_last_quarters_reports_once(
    quarter, managers, settings, django_capture_on_commit_callbacks
):
    require_pdf_rendering()
    import datetime as dt

    with SmtpServer() as smtp:
        for name, value in smtp.settings().items():
            setattr(settings, name, value)
        with django_capture_on_commit_callbacks(execute=True):
            made = quarterly_reports_request(today=dt.date(2026, 7, 1))
        with django_capture_on_commit_callbacks(execute=True):
            again = quarterly_reports_request(today=dt.date(2026, 7, 2))

    assert sorted(r.format for r in made) == ["pdf", "xlsx"] and again == []
    reports = Report.objects.filter(period="2026Q2", scheduled=True)
    assert {r.status for r in reports} == {"succeeded"} and reports.count() == 2
    assert len(smtp.handler.to("li.mgr@example.cn")) == 2
