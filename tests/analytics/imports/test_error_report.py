import csv
import io

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

FILE = (
    "customer_id,order_id,ordered_at,amount\n"
    "C1,O1,2026-01-05,10\n"
    "C1,O2,not a date,10\n"
    "C1,O3,2026-01-05,\n"
)


def test_the_error_report_lists_every_rejected_cell_as_csv(import_file, admin_client):
    job = import_file(FILE)

    response = admin_client.get(
        f"/api/v1/imports/{job.pk}/error-report/?format=csv", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["row", "column", "value", "message"]
    assert rows[1][:3] == ["3", "ordered_at", "not a date"]
    assert rows[2] == ["4", "amount", "", "Amount is required."]


def test_the_error_report_is_available_as_xlsx(import_file, admin_client):
    job = import_file(FILE)

    response = admin_client.get(
        f"/api/v1/imports/{job.pk}/error-report/?format=xlsx", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2] == (4, "amount", None, "Amount is required.")


def test_the_api_gives_the_error_report_url(import_file, admin_client):
    job = import_file(FILE)

    body = admin_client.get(f"/api/v1/imports/{job.pk}/").json()
    assert body["error_report_url"].endswith(f"/api/v1/imports/{job.pk}/error-report/")


def test_a_clean_file_has_no_error_report(import_file, admin_client):
    job = import_file("customer_id,order_id,ordered_at,amount\nC1,O1,2026-01-05,10\n")

    assert admin_client.get(f"/api/v1/imports/{job.pk}/").json()["error_report_url"] is None
