"""Formulas in disguise: full-width ＝＋－＠ (what a Chinese input method types), their small
forms, and any leading whitespace, tab or carriage return before them. Through two real
exports, each as CSV and XLSX: the dashboard export (a topic name, written exactly as stored)
and the import error report (a rejected cell, which the importer trims first)."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from analytics.imports.jobs import import_job_create
from feedback.models import Topic
from tests.analytics.dashboard import conftest as dashboard

# The dashboard's fixtures: a manager, and a data set with one topic.
dataset, manager = dashboard.dataset, dashboard.manager

pytestmark = pytest.mark.django_db

DISGUISED = [
    '＝HYPERLINK("http://evil.example","点我")',
    "＋cmd|' /C calc'!A0",
    "－2+3",
    "＠SUM(A1:A9)",
    "﹦1+1",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
    "\u3000＝1+1",
    " \t\r ＋1",
    "\n@A1",
]
# Text that only looks near a formula stays as it is.
PLAIN = ["好评＝满意", "A=1"]


def _csv_field(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


@pytest.fixture
def job(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path / "media"
    lines = ["customer_id,order_id,ordered_at,amount"]
    for number, value in enumerate(DISGUISED + PLAIN, start=1):
        lines.append(f"C1,O{number},{_csv_field(value)},10")
    upload = SimpleUploadedFile("bad.csv", ("\n".join(lines) + "\n").encode("utf-8"))
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_create(kind="purchases", upload=upload)
    job.refresh_from_db()
    assert job.rows_failed == len(DISGUISED + PLAIN)
    return job


def _download(client, job, fmt) -> bytes:
    reply = client.get(f"/api/v1/imports/{job.pk}/error-report/?format={fmt}")
    assert reply.status_code == 200
    return b"".join(reply.streaming_content)


def _reported(values: list[str]) -> dict[str, str]:
    """The reported value of each uploaded one (matched without the apostrophe and ends the
    CSV reader or the importer may have trimmed)."""
    found = {}
    for value in values:
        for original in DISGUISED + PLAIN:
            if value.lstrip("'").strip() == original.strip():
                found[original] = value
    return found


def test_the_csv_report_escapes_every_disguised_formula(job, admin_client):
    """The importer trims cells: what reaches the guard is the trimmed text."""
    rows = list(csv.reader(io.StringIO(_download(admin_client, job, "csv").decode("utf-8-sig"),
                                       newline="")))  # fmt: skip
    reported = _reported([row[2] for row in rows[1:]])
    assert set(reported) == set(DISGUISED + PLAIN)
    for original in DISGUISED:
        assert reported[original] == "'" + original.strip(), repr(reported[original])
    for original in PLAIN:
        assert reported[original] == original


def test_the_xlsx_report_escapes_every_disguised_formula(job, admin_client):
    sheet = load_workbook(io.BytesIO(_download(admin_client, job, "xlsx"))).active
    cells = [row[2] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type == "s" for cell in cells)
    reported = _reported([cell.value for cell in cells])
    assert set(reported) == set(DISGUISED + PLAIN)
    for original in DISGUISED:
        assert reported[original] == "'" + original.strip(), repr(reported[original])
    for original in PLAIN:
        assert reported[original] == original


def _dashboard_cells(client, fmt: str) -> list:
    reply = client.get(reverse("admin:dashboard-export", args=[fmt]))
    assert reply.status_code == 200
    if fmt == "csv":
        text = reply.content.decode("utf-8-sig")
        return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    book = load_workbook(io.BytesIO(reply.content))
    return [c.value for sheet in book for row in sheet.iter_rows() for c in row]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_dashboard_export_escapes_a_topic_name_exactly_as_stored(client, manager, dataset, fmt):
    client.force_login(manager)
    for name in DISGUISED:
        Topic.objects.filter(pk=dataset.topic.pk).update(name=name)
        cells = _dashboard_cells(client, fmt)
        # XML (inside .xlsx) reads a stored CR back as LF: the cell is the same text.
        stored = name.replace("\r", "\n") if fmt == "xlsx" else name
        assert "'" + stored in cells, repr(name)
        assert stored not in cells, repr(name)
    for name in PLAIN:
        Topic.objects.filter(pk=dataset.topic.pk).update(name=name)
        assert name in _dashboard_cells(client, fmt)
