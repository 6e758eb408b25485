"""Hostile .xlsx files are refused before openpyxl unpacks them, quickly and in little memory,
through the API, the import page and the command alike; nothing is written."""

import io
import time
import tracemalloc

import pytest

from analytics.models import ImportStatus, Purchase
from tests.analytics import upload_files as files
from tests.analytics.upload_files import CHANNELS, assert_refused_cleanly

pytestmark = pytest.mark.django_db

HOSTILE = {
    "zip bomb": (files.zip_bomb_xlsx, "refused as a possible zip bomb: its part xl/worksheets"),
    "billion laughs": (files.billion_laughs_xlsx, "declares XML entities (xl/worksheets/"),
    "external entity": (files.external_entity_xlsx, "declares XML entities (xl/sharedStrings"),
    "shared strings bomb": (
        files.shared_strings_bomb_xlsx,
        "possible zip bomb: its part xl/sharedStrings.xml",
    ),
    "cell in column XFD": (files.wide_xlsx, "This sheet has cells beyond column ZZ"),
    "path traversal": (files.traversal_xlsx, "unsafe name (../../etc/cron.d/evil)"),
    "nested zip": (files.nested_zip_xlsx, "holds another archive (xl/media/inner.bin)"),
    "sheet XML cut short after 12,000 rows": (
        files.truncated_xlsx,
        "The sheet xl/worksheets/sheet1.xml is damaged (unclosed token",
    ),
    "malformed cell reference": (files.bad_reference_xlsx, 'a cell reference reads r="B3>"'),
    "number cell holding text": (
        files.unreadable_value_xlsx,
        "Row 2 of the sheet holds a value that cannot be read",
    ),
}


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_workbook_is_refused_with_a_clear_message(upload_through, channel, case):
    build, message = HOSTILE[case]

    outcome = upload_through(channel, build())

    assert_refused_cleanly(outcome, message)


def test_a_zip_bomb_is_refused_by_the_api_at_once_without_unpacking_it(client, upload_through):
    bomb = files.zip_bomb_xlsx()  # 64 MB of sheet in a ~70 KB file
    assert len(bomb) < 100 * 1024

    started = time.perf_counter()
    tracemalloc.start()
    try:
        outcome = upload_through("api", bomb)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert outcome.status == 400
    assert "would unpack to 64 MB from" in outcome.message
    assert peak < 16 * 1024 * 1024
    assert time.perf_counter() - started < 5


def test_a_billion_laughs_sheet_is_refused_quickly_and_in_little_memory(upload_through):
    started = time.perf_counter()
    tracemalloc.start()
    try:
        outcome = upload_through("command", files.billion_laughs_xlsx())
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert "declares XML entities" in outcome.message
    assert peak < 16 * 1024 * 1024
    assert time.perf_counter() - started < 5


def test_openpyxl_itself_parses_with_defusedxml_so_entities_are_refused_there_too():
    """Defence in depth: were the prolog check ever bypassed, the parser refuses entities."""
    import openpyxl
    from defusedxml import EntitiesForbidden
    from openpyxl.xml.functions import iterparse

    sheet = files.sheet_xml(files.billion_laughs_xlsx())
    started = time.perf_counter()

    assert openpyxl.DEFUSEDXML is True
    with pytest.raises(EntitiesForbidden):
        for _event in iterparse(io.BytesIO(sheet)):
            pass
    assert time.perf_counter() - started < 1


def test_a_declared_dimension_of_every_cell_is_ignored_and_the_rows_import_quickly(
    upload_through,
):
    started = time.perf_counter()

    outcome = upload_through("api", files.huge_dimension_xlsx())

    assert outcome.job.status == ImportStatus.SUCCEEDED
    assert (outcome.job.rows_total, outcome.job.rows_ok) == (2, 2)
    assert Purchase.objects.count() == 2
    assert time.perf_counter() - started < 5


def test_rows_are_read_as_wide_as_they_are_not_as_wide_as_the_declared_dimension():
    from surveyhub.spreadsheets.reading import open_table

    content = files.huge_dimension_xlsx(1000)

    table = open_table(io.BytesIO(content), size=len(content), find_header=lambda cells: [])
    widths = {len(row) for row in table.rows}
    table.extra["workbook"].close()

    assert table.header == files.HEADER
    assert widths == {4}  # not 16,384 (column XFD) for each of the 1,000 rows


def test_a_blank_last_row_of_the_sheet_is_read_without_padding_a_million_rows(upload_through):
    started = time.perf_counter()

    outcome = upload_through("command", files.last_row_xlsx(1048576))

    assert outcome.job.status == ImportStatus.SUCCEEDED
    assert outcome.job.rows_ok == 2
    assert time.perf_counter() - started < 20


def test_a_sheet_with_more_rows_than_the_limit_is_refused_before_any_write(
    upload_through, settings
):
    settings.SURVEYHUB_IMPORT_MAX_ROWS = 1000

    outcome = upload_through("api", files.last_row_xlsx(5000))

    assert outcome.status == 201
    assert_refused_cleanly(outcome, "The file has more than 1000 rows; split it")


def test_a_text_table_over_its_cap_is_refused(upload_through, settings):
    settings.SURVEYHUB_IMPORT_MAX_UNPACKED_MB = 1

    outcome = upload_through("api", files.many_shared_strings_xlsx(120_000))

    assert outcome.status == 400
    assert_refused_cleanly(outcome, "The text table of this Excel file is too large")


def test_a_workbook_unpacking_to_more_than_the_limit_is_refused(upload_through, settings):
    settings.SURVEYHUB_IMPORT_MAX_UNPACKED_MB = 1
    rows = b"".join(
        b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (n, n, n) for n in range(4, 40_000)
    )
    sheet = files.sheet_xml(files.xlsx()).replace(b"</sheetData>", rows + b"</sheetData>")

    outcome = upload_through("page", files.rewrite(files.xlsx(), {files.SHEET: sheet}))

    assert outcome.status == 200
    assert_refused_cleanly(outcome, "more than the 1 MB limit; split it or save it as CSV")


def test_a_member_larger_than_its_directory_entry_says_is_refused_before_any_write(
    upload_through,
):
    """The zip directory may lie: the sheet is read once in full before any row is written."""
    package = files.xlsx()
    sheet = files.sheet_xml(package)
    # Patch the stored CRC of the sheet in the central directory so the data no longer matches.
    import zipfile

    info = zipfile.ZipFile(io.BytesIO(package)).getinfo(files.SHEET)
    crc = info.CRC.to_bytes(4, "little")
    assert package.count(crc) == 2  # local header and central directory
    broken = package.replace(crc, (info.CRC ^ 1).to_bytes(4, "little"))
    assert len(sheet) > 0

    outcome = upload_through("command", broken)

    assert_refused_cleanly(outcome, "This Excel file could not be opened")
