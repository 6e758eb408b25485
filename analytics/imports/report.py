"""Error reports: the stored rows (message IDs) rendered as CSV or XLSX in the reader's language."""

import csv
import io
import json
from collections.abc import Iterator

from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext, pgettext_lazy

from surveyhub.spreadsheets.formula_guard import safe_cell

REPORT_COLUMNS = (
    gettext_lazy("row"),
    gettext_lazy("column"),
    gettext_lazy("value"),
    pgettext_lazy("import problem", "message"),
)


def error_message(message_id: str, params: dict | None) -> str:
    """A stored message ID, translated into the active language and filled in."""
    text = gettext(message_id)
    return text % params if params else text


SUMMARY_STORES_SHOWN = 20


def stores_added_text(labels: list[str], *, dry_run: bool) -> str:
    """The import summary's line on the stores it added to the managed list ("" for none):
    "新增门店 3 个：SH09、杭州西湖店、HZ02"; a dry run says it would add them."""
    if not labels:
        return ""
    shown = pgettext("list separator", ", ").join(labels[:SUMMARY_STORES_SHOWN])
    if len(labels) > SUMMARY_STORES_SHOWN:
        shown += " …"
    values = {"count": len(labels), "stores": shown}
    if dry_run:
        return (
            ngettext(
                "Would add %(count)s new store: %(stores)s",
                "Would add %(count)s new stores: %(stores)s",
                len(labels),
            )
            % values
        )
    return ngettext(
        "%(count)s new store added: %(stores)s", "%(count)s new stores added: %(stores)s",
        len(labels),
    ) % values  # fmt: skip


def report_rows(stored: io.TextIOBase) -> Iterator[list]:
    """The report rows (without header) translated, from the stored CSV."""
    reader = csv.reader(stored)
    next(reader, None)
    for row, column, value, message_id, params in reader:
        # The rejected value is the uploader's text: never a live formula in Excel/WPS.
        value = safe_cell(value)
        yield [int(row), column, value, error_message(message_id, json.loads(params or "{}"))]


def report_csv_lines(stored: io.TextIOBase) -> Iterator[str]:
    """The translated report as CSV text lines (UTF-8 with BOM so Excel opens Chinese right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([str(title) for title in REPORT_COLUMNS])
    for row in report_rows(stored):
        writer.writerow(row)
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def report_xlsx(stored: io.TextIOBase, target) -> None:
    """Write the translated report as an XLSX workbook into the binary file `target`."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(gettext("Errors"))
    sheet.append([str(title) for title in REPORT_COLUMNS])
    for row in report_rows(stored):
        sheet.append(row)
    workbook.save(target)
