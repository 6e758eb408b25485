"""`import_feedback` applies the same file checks as the purchase import: hostile or malformed
files are refused with a clear message and create no feedback."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from feedback.models import FeedbackItem
from tests.analytics import upload_files as files

pytestmark = pytest.mark.django_db

REFUSED = {
    "zip bomb": (files.zip_bomb_xlsx(), "notes.xlsx", "refused as a possible zip bomb"),
    "billion laughs": (files.billion_laughs_xlsx(), "notes.xlsx", "declares XML entities"),
    "external entity": (files.external_entity_xlsx(), "notes.xlsx", "declares XML entities"),
    "cell in column XFD": (files.wide_xlsx(), "notes.xlsx", "beyond column ZZ"),
    "number cell holding text": (
        files.unreadable_value_xlsx(),
        "notes.xlsx",
        "Row 2 of the sheet holds a value that cannot be read",
    ),
    "sheet XML cut short": (files.truncated_xlsx(), "notes.xlsx", "is damaged (unclosed token"),
    "password-protected": (
        files.compound_file("EncryptionInfo", "EncryptedPackage"),
        "notes.xlsx",
        "password-protected",
    ),
    "old .xls": (files.compound_file("Workbook"), "notes.xls", "Old Excel .xls files"),
    "PDF renamed .csv": (files.PDF, "notes.csv", "it is a PDF document"),
    "program renamed .csv": (files.EXE, "notes.csv", "it is a program"),
    # Within the reader's first 256 KB a NUL byte means binary data, as for purchases.
    "NUL bytes": (b"text\n" + b"fine\n" * 20_000 + b"b\x00d\n", "notes.csv", "not a CSV or Excel"),
    "NUL bytes far down": (
        b"text\n" + b"fine\n" * 60_000 + b"b\x00d\n",
        "notes.csv",
        "Line 60002 contains NUL bytes",
    ),
    "10 MB field": (b'text\n"' + b"x" * (10 * 1024 * 1024) + b'"\n', "notes.csv", "128 KB"),
    "empty": (b"", "notes.csv", "The file is empty."),
    "header only": (b"text,source\n", "notes.csv", "header row but no data rows"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_bad_feedback_file_is_refused_and_creates_nothing(tmp_path, case):
    content, name, message = REFUSED[case]
    path = tmp_path / name
    path.write_bytes(content)

    with translation.override("en"), pytest.raises(CommandError) as refused:
        call_command("import_feedback", str(path))

    assert message in str(refused.value)
    assert not FeedbackItem.objects.exists()


def test_a_file_over_the_row_limit_is_refused_instead_of_cut_short(tmp_path, monkeypatch):
    monkeypatch.setattr("feedback.analysis.imports.MAX_ROWS", 10)
    path = tmp_path / "notes.csv"
    path.write_text("text\n" + "".join(f"评价{n}\n" for n in range(11)), encoding="utf-8")

    with translation.override("en"), pytest.raises(CommandError, match="more than 10 rows"):
        call_command("import_feedback", str(path))

    assert not FeedbackItem.objects.exists()


def test_a_file_at_the_row_limit_is_imported(tmp_path, monkeypatch):
    monkeypatch.setattr("feedback.analysis.imports.MAX_ROWS", 10)
    path = tmp_path / "notes.csv"
    path.write_text("text\n" + "".join(f"评价{n}\n" for n in range(10)), encoding="utf-8")

    call_command("import_feedback", str(path))

    assert FeedbackItem.objects.count() == 10


def test_a_huge_declared_dimension_does_not_pad_feedback_rows(tmp_path):
    sheet = files.sheet_xml(files.xlsx([["text"], ["物流很快"]]))
    start = sheet.index(b"<dimension")
    sheet = (
        sheet[:start] + b'<dimension ref="A1:XFD1048576"/>' + sheet[sheet.index(b">", start) + 1 :]
    )
    path = tmp_path / "notes.xlsx"
    path.write_bytes(files.rewrite(files.xlsx([["text"], ["物流很快"]]), {files.SHEET: sheet}))

    call_command("import_feedback", str(path))

    assert FeedbackItem.objects.get().text == "物流很快"
