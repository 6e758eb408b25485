"""The current view's data as CSV and Excel, filters applied, formulas neutralised."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from feedback.models import Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, manager, dataset):
    Topic.objects.filter(pk=dataset.topic.pk).update(name='=HYPERLINK("http://x")')
    client.force_login(manager)
    return client


def test_csv_export_holds_every_table_with_formulas_neutralised(logged_in):
    response = logged_in.get(
        reverse("admin:dashboard-export", args=["csv"]), {"channel": "link"},
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    for title in ("NPS distribution", "Sentiment over time", "Topics and aspects", "Service"):
        assert title in text
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text
    distribution = text.split("NPS distribution")[1].split("\r\n\r\n")[0]
    assert "0,Detractor,1" in distribution and "10,Promoter,0" in distribution  # link only
    assert "detractor" not in text and "promoter" not in text  # labels, never the codes


def test_excel_export_has_one_named_sheet_per_table(logged_in):
    response = logged_in.get(
        reverse("admin:dashboard-export", args=["xlsx"]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )

    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 10
    assert "NPS 分布" in book.sheetnames
    assert not any(name.isdigit() for name in book.sheetnames)
    cells = [c.value for sheet in book for row in sheet.iter_rows() for c in row]
    assert '\'=HYPERLINK("http://x")' in cells


def test_an_unknown_export_format_is_404(logged_in):
    assert logged_in.get(reverse("admin:dashboard-export", args=["pdf"])).status_code == 404
