"""A file that cannot be read at all fails with one clear message and changes nothing."""

import pytest
from django.utils import translation

from analytics.imports.jobs import ImportError_
from analytics.models import ImportJob, ImportStatus, Purchase
from surveys.models import Customer

pytestmark = pytest.mark.django_db


def assert_refused(job, message_start: str) -> None:
    assert job.status == ImportStatus.FAILED
    with translation.override("en"):
        assert job.message_text.startswith(message_start), job.message_text
    assert job.rows_ok == 0
    assert not Purchase.objects.exists()
    assert not Customer.objects.exists()


def assert_refused_at_upload(import_file, content: bytes, message_start: str, **options) -> None:
    """Files whose bytes alone show they are unusable are refused before a job is created."""
    with translation.override("en"), pytest.raises(ImportError_) as refused:
        import_file(content, **options)
    assert str(refused.value.message).startswith(message_start), refused.value.message
    assert not ImportJob.objects.exists()
    assert not Purchase.objects.exists()


def test_a_file_with_only_blank_lines_is_refused(import_file):
    assert_refused_at_upload(import_file, b"\n\n  \n", "The file is empty.")


def test_a_file_without_a_usable_header_is_refused(import_file):
    job = import_file("name,colour\nApple,red\n")

    assert_refused(job, "No usable header row: missing the column(s) order_id/订单号")
    with translation.override("en"):
        assert "found: name, colour" in job.message_text


def test_a_pdf_renamed_to_csv_is_refused(import_file):
    content = b"%PDF-1.7\n\x00\x01\x02binary\x00stuff"

    assert_refused_at_upload(
        import_file, content, "This is not a CSV or Excel (.xlsx) file", name="orders.csv"
    )


def test_an_old_xls_file_is_refused_with_advice(import_file):
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600

    assert_refused_at_upload(
        import_file, content, "Old Excel .xls files cannot be read", name="orders.xlsx"
    )


def test_a_broken_xlsx_is_refused(import_file):
    content = b"PK\x03\x04 not really a zip"

    assert_refused_at_upload(
        import_file, content, "This Excel file could not be opened", name="orders.xlsx"
    )


def test_bad_bytes_late_in_the_file_refuse_the_whole_file_before_any_write(import_file):
    good = "customer_id,order_id,ordered_at,amount\n" + "".join(
        f"C{i},O{i},2026-01-05,10\n" for i in range(20_000)
    )
    job = import_file(good.encode("utf-8") + b"C9,O9,2026-01-05,\xff\xfe\n", encoding="utf-8")

    assert_refused(job, "The file is not valid UTF-8 text")


def test_an_empty_upload_is_refused_by_the_api(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = admin_client.post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile("empty.csv", b""), "kind": "purchases"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "file" in response.json()["errors"]
