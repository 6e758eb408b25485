"""Is an uploaded spreadsheet what it claims to be, and safe to parse?

Run before any parser touches a file: the type is sniffed from the bytes (not the name), an
.xlsx is inspected through its zip directory (`xlsx_checks`) so that a zip bomb, an
entity-expansion or external-entity sheet, or a sheet that would make openpyxl hand out a
million padded rows is refused with one clear message before anything is decompressed in
bulk or written; a CSV is scanned for its rows and columns. Shared by every importer."""

import csv
from collections.abc import Iterable
from typing import IO

from django.utils.translation import gettext_lazy as _

from surveyhub.spreadsheets.limits import (
    CSV,
    EMPTY_ZIP_MAGIC,
    MAX_COLUMNS,
    MSG_BROKEN_XLSX,
    MSG_EMPTY,
    MSG_ENCRYPTED,
    MSG_OLD_XLS,
    OLE_MAGIC,
    XLSX,
    ZIP_MAGIC,
    Limits,
    RefusedFile,
    too_many_rows,
)
from surveyhub.spreadsheets.xlsx_checks import check_xlsx_package


def sniff(stream: IO[bytes], limit: Limits) -> str:
    """CSV or XLSX, judged from the bytes; anything else is refused naming what it is.

    An .xlsx is also checked through its zip directory (see `check_xlsx_package`).
    """
    stream.seek(0)
    head = stream.read(64 * 1024)
    stream.seek(0)
    if not head.strip():
        raise RefusedFile(MSG_EMPTY)
    if head.startswith(ZIP_MAGIC):
        check_xlsx_package(stream, limit)
        return XLSX
    if head.startswith(EMPTY_ZIP_MAGIC):
        raise RefusedFile(MSG_BROKEN_XLSX)
    if head.startswith(OLE_MAGIC):
        _refuse_ole(stream)
    kind = _foreign_kind(head)
    if kind is not None:
        raise RefusedFile(kind)
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RefusedFile(
            _("This is not a CSV or Excel (.xlsx) file: it holds binary data (NUL bytes).")
        )
    return CSV


def _foreign_kind(head: bytes):
    """The message for a well-known non-spreadsheet format, or None."""
    if head.startswith(b"%PDF"):
        return _("This is not a CSV or Excel (.xlsx) file: it is a PDF document.")
    if head.startswith(
        (b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")
    ) or (
        (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
        or (head[:2] == b"BM" and head[6:10] == b"\x00\x00\x00\x00")
    ):
        return _("This is not a CSV or Excel (.xlsx) file: it is an image.")
    if head.startswith((b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")) or (
        head[:2] == b"MZ" and b"\x00" in head
    ):
        return _("This is not a CSV or Excel (.xlsx) file: it is a program.")
    if head.startswith((b"\x1f\x8b", b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c", b"\xfd7zXZ\x00")) or (
        head[:3] == b"BZh" and head[4:10] == b"1AY&SY"
    ):
        return _(
            "This is not a CSV or Excel (.xlsx) file: it is a compressed archive; "
            "unpack it and upload the file inside."
        )
    return None


# --- old Office files (OLE compound documents) --------------------------------------------


def _refuse_ole(stream: IO[bytes]):
    names = ole_stream_names(stream)
    if {"EncryptedPackage", "EncryptionInfo"} & names:
        raise RefusedFile(MSG_ENCRYPTED)
    if {"WordDocument", "PowerPoint Document"} & names:
        raise RefusedFile(
            _("This is not a CSV or Excel (.xlsx) file: it is a Word or PowerPoint document.")
        )
    raise RefusedFile(MSG_OLD_XLS)


def ole_stream_names(stream: IO[bytes], *, max_sectors: int = 64) -> set[str]:
    """The names in an OLE compound file's directory (empty if it cannot be walked).

    A password-protected .xlsx is such a file, holding `EncryptionInfo` and `EncryptedPackage`;
    an old .xls holds `Workbook`.
    """
    stream.seek(0)
    header = stream.read(512)
    try:
        shift = int.from_bytes(header[30:32], "little")
        if shift not in (9, 12):
            return set()
        size = 1 << shift
        directory = int.from_bytes(header[48:52], "little")
        fat_sectors = [
            int.from_bytes(header[76 + 4 * i : 80 + 4 * i], "little") for i in range(109)
        ]
        fat = bytearray()
        for sector in fat_sectors:
            if sector >= 0xFFFFFFFA:
                break
            stream.seek((sector + 1) * size)
            fat += stream.read(size)
        names: set[str] = set()
        for _step in range(max_sectors):
            if directory >= 0xFFFFFFFA:
                break
            stream.seek((directory + 1) * size)
            data = stream.read(size)
            for offset in range(0, len(data) - 127, 128):
                length = int.from_bytes(data[offset + 64 : offset + 66], "little")
                if 2 <= length <= 64:
                    names.add(data[offset : offset + length - 2].decode("utf-16-le", "replace"))
            index = directory * 4
            if index + 4 > len(fat):
                break
            directory = int.from_bytes(fat[index : index + 4], "little")
        return names
    finally:
        stream.seek(0)


# --- CSV -----------------------------------------------------------------------------------


def scan_csv(text: Iterable[str], *, delimiter: str, limit: Limits) -> int:
    """Parse a decoded CSV once without keeping it; return its number of records.

    Refuses NUL bytes, a field over the csv module's limit (128 KB), a row over MAX_COLUMNS
    fields and too many rows, before any row is imported.
    """
    reader = csv.reader(_lines_without_nul(text), delimiter=delimiter)
    records = 0
    try:
        for row in reader:
            records += 1
            if records > limit.max_rows + 1:
                raise too_many_rows(limit)
            if len(row) > MAX_COLUMNS:
                raise RefusedFile(
                    _(
                        "Line %(line)s has %(count)s columns, more than %(limit)s; "
                        "is it a CSV file?"
                    ),
                    {"line": reader.line_num, "count": len(row), "limit": MAX_COLUMNS},
                )
    except csv.Error as exc:
        if "field larger" in str(exc):
            raise RefusedFile(
                _(
                    "Line %(line)s has a field longer than %(limit)s KB; a CSV file of orders "
                    "or customers never has one. Is the file (or its quoting) broken?"
                ),
                {"line": reader.line_num, "limit": csv.field_size_limit() // 1024},
            ) from None
        raise RefusedFile(
            _("The CSV file is malformed near line %(line)s."), {"line": reader.line_num}
        ) from None
    return records


def _lines_without_nul(text: Iterable[str]) -> Iterable[str]:
    # Python 3.11's csv module reads NUL as an ordinary character.
    for number, line in enumerate(text, start=1):
        if "\x00" in line:
            raise RefusedFile(
                _(
                    "Line %(line)s contains NUL bytes, which a text file never holds; "
                    "expected a CSV or Excel (.xlsx) file."
                ),
                {"line": number},
            )
        yield line
