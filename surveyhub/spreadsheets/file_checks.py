"""Is an uploaded spreadsheet what it claims to be, and safe to parse?

Run before any parser touches a file: the type is sniffed from the bytes (not the name), an
.xlsx is inspected through its zip directory (sizes, compression ratio, names, content types,
XML prologs, rows and columns actually present) so that a zip bomb, an entity-expansion
("billion laughs") or external-entity sheet, or a sheet that would make openpyxl hand out a
million padded rows is refused with one clear message before anything is decompressed in
bulk or written. Shared by every importer (purchases and customers in `analytics`, feedback
in `feedback`), hence here and not in one app.
"""

import csv
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO
from xml.parsers import expat

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

CSV = "csv"
XLSX = "xlsx"
MB = 1024 * 1024
# Fixed limits: no real import file comes near them.
MAX_COLUMNS = 702  # column ZZ: a cell reference with three letters is beyond it
MAX_MEMBERS = 2000
MAX_RATIO = 200  # deflate can reach ~1000:1; real sheet XML stays far below 100:1
RATIO_FROM_BYTES = MB  # small members may compress very well and are harmless
MAX_PART_BYTES = 32 * MB  # a part openpyxl loads whole (workbook, styles, theme, props…)
MAX_PROLOG_BYTES = 64 * 1024

# What zipfile and zlib raise for a damaged or foreign archive.
_BROKEN_ZIP = (
    zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError,
    RuntimeError, zlib.error, struct.error,
)  # fmt: skip
_ZIP = b"PK\x03\x04"
_EMPTY_ZIP = b"PK\x05\x06"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SPREADSHEET_TYPES = (
    b"spreadsheetml.sheet.main+xml",
    b"spreadsheetml.template.main+xml",
    b"ms-excel.sheet.macroEnabled.main+xml",
)
_ROOT_ELEMENT = re.compile(rb"<[A-Za-z_]")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s/>]")
_ROW_NUMBER = re.compile(rb'<(?:\w+:)?row\s[^>]*?\br="(\d+)"')
# A cell or row reference openpyxl cannot read (a literal prefix keeps the search fast).
_BAD_REFERENCE = re.compile(rb' r="(?![A-Z]{0,3}[0-9]{1,7}")[^"]{0,20}"?')
_WIDE_CELL = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="[A-Z]{3,}\d')

MSG_EMPTY = _("The file is empty.")
MSG_NOT_SPREADSHEET = _("This is not a CSV or Excel (.xlsx) file.")
MSG_BROKEN_XLSX = _("This Excel file could not be opened; is it a valid .xlsx?")
MSG_OLD_XLS = _("Old Excel .xls files cannot be read; save the sheet as .xlsx or CSV and retry.")
MSG_ENCRYPTED = _(
    "This Excel file is password-protected; remove the password in Excel "
    "(File → Info → Protect Workbook), save, and upload it again."
)


class RefusedFile(Exception):
    """The whole file is refused; nothing was written.

    `message` is a lazy translatable string, filled in with `params` when shown, so it can be
    stored once and read in each reader's language.
    """

    def __init__(self, message, params: dict | None = None):
        self.message = message
        self.params = params or {}
        super().__init__(self.text)

    @property
    def text(self) -> str:
        """The message in the active language."""
        text = gettext(self.message_id)
        return text % self.params if self.params else text

    @property
    def message_id(self) -> str:
        from django.utils import translation

        with translation.override(None):
            return str(self.message)


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 200 * MB
    max_rows: int = 5_000_000
    max_unpacked_bytes: int = 1024 * MB
    max_shared_strings_bytes: int = 128 * MB


def limits() -> Limits:
    """The limits configured in settings (see `SURVEYHUB_IMPORT_*`)."""
    unpacked = int(getattr(settings, "SURVEYHUB_IMPORT_MAX_UNPACKED_MB", 1024)) * MB
    return Limits(
        max_bytes=int(getattr(settings, "SURVEYHUB_IMPORT_MAX_UPLOAD_MB", 200)) * MB,
        max_rows=int(getattr(settings, "SURVEYHUB_IMPORT_MAX_ROWS", 5_000_000)),
        max_unpacked_bytes=unpacked,
        max_shared_strings_bytes=min(128 * MB, unpacked),
    )


def check_size(size: int, limit: Limits) -> None:
    """Refuse an empty file, or one over the upload limit (from its size alone)."""
    if size <= 0:
        raise RefusedFile(MSG_EMPTY)
    if size > limit.max_bytes:
        raise too_large(limit)


def too_large(limit: Limits) -> RefusedFile:
    return RefusedFile(
        _("The file is larger than the %(limit)s MB limit; split it and upload the parts."),
        {"limit": limit.max_bytes // MB},
    )


def sniff(stream: IO[bytes], limit: Limits) -> str:
    """CSV or XLSX, judged from the bytes; anything else is refused naming what it is.

    An .xlsx is also checked through its zip directory (see `check_xlsx_package`).
    """
    stream.seek(0)
    head = stream.read(64 * 1024)
    stream.seek(0)
    if not head.strip():
        raise RefusedFile(MSG_EMPTY)
    if head.startswith(_ZIP):
        check_xlsx_package(stream, limit)
        return XLSX
    if head.startswith(_EMPTY_ZIP):
        raise RefusedFile(MSG_BROKEN_XLSX)
    if head.startswith(_OLE):
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


# --- .xlsx packages ------------------------------------------------------------------------


def check_xlsx_package(stream: IO[bytes], limit: Limits) -> None:
    """Refuse a zip that is not a workbook, or that would unpack to far more than it holds.

    Only the zip directory and the first bytes of each XML part are read; nothing is
    decompressed in bulk.
    """
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
            _check_members(infos, limit)
            _check_content_types(archive)
            for info in infos:
                _check_member_content(archive, info)
    except _BROKEN_ZIP:
        raise RefusedFile(MSG_BROKEN_XLSX) from None
    finally:
        stream.seek(0)


def _mb(size: int) -> str:
    return f"{size / MB:.0f}" if size >= 10 * MB else f"{size / MB:.1f}"


def _check_members(infos: list[zipfile.ZipInfo], limit: Limits) -> None:
    if len(infos) > MAX_MEMBERS:
        raise RefusedFile(
            _(
                "This Excel file has %(count)s parts, more than any workbook has "
                "(at most %(limit)s)."
            ),
            {"count": len(infos), "limit": MAX_MEMBERS},
        )
    total = 0
    for info in infos:
        name = info.filename
        parts = PurePosixPath(name).parts
        if not name or name.startswith("/") or "\\" in name or ".." in parts or ":" in name:
            raise RefusedFile(
                _("This Excel file holds a part with an unsafe name (%(name)s); it was refused."),
                {"name": name[:100]},
            )
        if info.flag_bits & 0x1:
            raise RefusedFile(MSG_ENCRYPTED)
        total += info.file_size
        if info.file_size > RATIO_FROM_BYTES and (
            info.file_size > MAX_RATIO * max(info.compress_size, 1)
        ):
            raise RefusedFile(
                _(
                    "This Excel file is refused as a possible zip bomb: its part %(name)s "
                    "would unpack to %(size)s MB from %(packed)s KB."
                ),
                {
                    "name": name[:100],
                    "size": _mb(info.file_size),
                    "packed": max(info.compress_size // 1024, 1),
                },
            )
        lower = name.lower()
        if lower.endswith("sharedstrings.xml") and info.file_size > limit.max_shared_strings_bytes:
            raise RefusedFile(
                _(
                    "The text table of this Excel file is too large (%(size)s MB, at most "
                    "%(limit)s MB); save the sheet as CSV and import that."
                ),
                {"size": _mb(info.file_size), "limit": limit.max_shared_strings_bytes // MB},
            )
        if (
            lower.endswith((".xml", ".rels"))
            and not lower.startswith(("xl/worksheets/", "xl/pivotcache/"))
            and not lower.endswith("sharedstrings.xml")
            and info.file_size > MAX_PART_BYTES
        ):
            raise RefusedFile(
                _("This Excel file has an oversized part (%(name)s, %(size)s MB); it was refused."),
                {"name": name[:100], "size": _mb(info.file_size)},
            )
    if total > limit.max_unpacked_bytes:
        raise RefusedFile(
            _(
                "This Excel file unpacks to %(size)s MB, more than the %(limit)s MB limit; "
                "split it or save it as CSV."
            ),
            {"size": _mb(total), "limit": limit.max_unpacked_bytes // MB},
        )


def _check_content_types(archive: zipfile.ZipFile) -> None:
    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        raise RefusedFile(
            _(
                "This is a zip archive, not an Excel workbook; unpack it and upload the CSV or "
                "Excel (.xlsx) file inside."
            )
        ) from None
    with archive.open(info) as member:
        types = member.read(min(info.file_size, MAX_PART_BYTES))
    if any(kind in types for kind in _SPREADSHEET_TYPES):
        return
    if b"wordprocessingml" in types or b"presentationml" in types:
        raise RefusedFile(
            _("This is not a CSV or Excel (.xlsx) file: it is a Word or PowerPoint document.")
        )
    raise RefusedFile(
        _("This Office file holds no Excel worksheet; expected a CSV or Excel (.xlsx) file.")
    )


def _check_member_content(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """No DTD or entity in any XML part (Excel never writes one), no archive inside another
    outside the embedded-objects folder."""
    lower = info.filename.lower()
    if info.is_dir() or info.file_size == 0:
        return
    with archive.open(info) as member:
        head = member.read(MAX_PROLOG_BYTES)
    if lower.endswith((".xml", ".rels", ".vml")):
        _check_prolog(head, info)
    elif head.startswith(_ZIP) and not lower.startswith("xl/embeddings/"):
        raise RefusedFile(
            _("This Excel file holds another archive (%(name)s); it was refused."),
            {"name": info.filename[:100]},
        )


def _check_prolog(head: bytes, info: zipfile.ZipInfo) -> None:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", "replace").encode("utf-8", "replace")
    root = _ROOT_ELEMENT.search(head)
    prolog = head[: root.start()] if root else head
    if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
        raise RefusedFile(
            _(
                "This Excel file declares XML entities (%(name)s), which Excel never writes; "
                "it was refused as possibly malicious."
            ),
            {"name": info.filename[:100]},
        )
    if root is None and info.file_size > len(head):
        raise RefusedFile(MSG_BROKEN_XLSX)


def scan_worksheets(stream: IO[bytes], limit: Limits) -> int:
    """Decompress each worksheet once, in blocks, and return the largest number of rows a
    reader will hand out (gaps included).

    Refuses too many rows, cells beyond column ZZ, malformed XML and malformed cell
    references: all found here, before any write, rather than by the importer after
    thousands of rows. A corrupt member (bad CRC) is found here too.
    """
    largest = 0
    try:
        with zipfile.ZipFile(stream) as archive:
            for info in archive.infolist():
                lower = info.filename.lower()
                if lower.startswith("xl/worksheets/") and lower.endswith(".xml"):
                    with archive.open(info) as member:
                        rows = _scan_sheet(_blocks(member), limit, name=info.filename)
                    largest = max(largest, rows)
    except _BROKEN_ZIP:
        raise RefusedFile(MSG_BROKEN_XLSX) from None
    finally:
        stream.seek(0)
    return largest


def _blocks(member: IO[bytes]) -> Iterable[bytes]:
    while block := member.read(MB):
        yield block


def _scan_sheet(blocks: Iterable[bytes], limit: Limits, *, name: str) -> int:
    count = highest = 0
    carry = b""
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_doctype(name)  # checked already; never expand
    try:
        for block in blocks:
            parser.Parse(block, False)
            data = carry + block
            cut = data.rfind(b"<")
            if cut < len(data) - 4096:  # no tag open at the end of this block
                cut = len(data)
            data, carry = data[:cut], data[cut:]
            count += len(_ROW_TAG.findall(data))
            numbers = _ROW_NUMBER.findall(data)
            if numbers:
                highest = max(highest, max(map(int, numbers)))
            if max(count, highest) > limit.max_rows + 1:
                raise too_many_rows(limit)
            if _WIDE_CELL.search(data):
                raise RefusedFile(
                    _("This sheet has cells beyond column ZZ (%(limit)s columns); it was refused."),
                    {"limit": MAX_COLUMNS},
                )
            if bad := _BAD_REFERENCE.search(data):
                raise RefusedFile(
                    _("The sheet %(name)s is damaged (a cell reference reads %(ref)s)."),
                    {"name": name[:100], "ref": bad.group(0).strip().decode("utf-8", "replace")},
                )
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise RefusedFile(
            _(
                "The sheet %(name)s is damaged (%(error)s); open the file in Excel, save it "
                "again and retry."
            ),
            {"name": name[:100], "error": str(exc)[:100]},
        ) from None
    if carry:
        count += len(_ROW_TAG.findall(carry))
    return max(count, highest)


def _refuse_doctype(name: str):
    def refuse(*_args):
        raise RefusedFile(
            _(
                "This Excel file declares XML entities (%(name)s), which Excel never writes; "
                "it was refused as possibly malicious."
            ),
            {"name": name[:100]},
        )

    return refuse


def too_many_rows(limit: Limits) -> RefusedFile:
    return RefusedFile(
        _("The file has more than %(limit)s rows; split it and import the parts."),
        {"limit": limit.max_rows},
    )


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
