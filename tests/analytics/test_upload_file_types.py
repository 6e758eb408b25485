"""Only CSV and .xlsx are imported, judged from the bytes rather than the name: every other
kind of file is refused naming what it is and what was expected; nothing is written."""

import pytest

from analytics.models import ImportStatus, Purchase
from tests.analytics import upload_files as files
from tests.analytics.upload_files import CHANNELS, assert_refused_cleanly

pytestmark = pytest.mark.django_db

CSV_HEADER = ",".join(files.HEADER) + "\n"
NOT_SPREADSHEETS = {
    "program renamed .csv": (files.EXE, "orders.csv", "it is a program"),
    "PDF renamed .csv": (files.PDF, "orders.csv", "it is a PDF document"),
    "image renamed .xlsx": (files.PNG, "orders.xlsx", "it is an image"),
    "gzip renamed .csv": (b"\x1f\x8b\x08\x00" + b"\x00" * 20, "orders.csv", "compressed archive"),
    "binary with NUL bytes": (b"abc\x00\x01\x02" * 50, "orders.csv", "binary data (NUL bytes)"),
    "old .xls (BIFF)": (files.compound_file("Workbook"), "orders.xlsx", "Old Excel .xls files"),
    "password-protected .xlsx": (
        files.compound_file("EncryptionInfo", "EncryptedPackage"),
        "orders.xlsx",
        "This Excel file is password-protected; remove the password",
    ),
    "Word document renamed .xlsx": (files.docx_renamed(), "orders.xlsx", "Word or PowerPoint"),
    "zip archive renamed .xlsx": (files.plain_zip(), "orders.xlsx", "This is a zip archive"),
    "empty file": (b"", "orders.csv", "file is empty."),  # Django: "The submitted file…"
    "blank lines only": (b"\r\n  \n\n", "orders.csv", "The file is empty."),
    "header only (CSV)": (CSV_HEADER.encode(), "orders.csv", "header row but no data rows"),
    "header only (xlsx)": (files.xlsx([files.HEADER]), "orders.xlsx", "header row but no data"),
}


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("case", list(NOT_SPREADSHEETS))
def test_a_file_that_is_not_a_usable_spreadsheet_is_refused(upload_through, channel, case):
    content, name, message = NOT_SPREADSHEETS[case]

    outcome = upload_through(channel, content, name)

    assert_refused_cleanly(outcome, message)


def test_an_obviously_wrong_file_is_a_400_from_the_api_and_creates_no_job(upload_through):
    from analytics.models import ImportJob

    outcome = upload_through("api", files.PDF, "orders.csv")

    assert outcome.status == 400
    assert not ImportJob.objects.exists()


def test_a_header_only_file_is_a_failed_job_with_the_message(upload_through):
    outcome = upload_through("api", CSV_HEADER.encode(), "orders.csv")

    assert outcome.status == 201
    assert outcome.job.status == ImportStatus.FAILED
    assert outcome.message == "The file has a header row but no data rows below it."


def test_a_wrong_extension_is_refused_even_if_the_content_is_fine(upload_through):
    content = (CSV_HEADER + "C1,O1,2026-01-05,10\n").encode()

    outcome = upload_through("api", content, "orders.exe")

    assert outcome.status == 400
    assert_refused_cleanly(outcome, "Upload a CSV or Excel (.xlsx) file.")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_each_supported_encoding_is_imported(upload_through, encoding):
    # 𠀀 exists only in GB18030; the others get plain Chinese.
    name = "张三𠀀" if encoding in ("utf-8", "utf-8-sig", "gb18030") else "张三"
    content = f"{CSV_HEADER.strip()},name\nC1,O1,2026-01-05,10,{name}\n".encode(encoding)

    outcome = upload_through("api", content, "orders.csv")

    assert outcome.job.status == ImportStatus.SUCCEEDED, outcome.message
    assert Purchase.objects.count() == 1


def test_an_xlsx_named_csv_is_read_as_the_workbook_it_is(upload_through):
    outcome = upload_through("api", files.xlsx(), "orders.csv")

    assert outcome.job.status == ImportStatus.SUCCEEDED, outcome.message
    assert Purchase.objects.count() == 2
