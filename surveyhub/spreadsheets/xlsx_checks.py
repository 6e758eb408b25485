"""An .xlsx inspected through its zip directory before it is unpacked: member sizes and
compression ratio, names, content types, XML prologs (no DOCTYPE: no entity expansion or
external entities), and the rows and columns its sheets really hold."""

import re
import zipfile
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import IO
from xml.parsers import expat

from django.utils.translation import gettext_lazy as _

from surveyhub.spreadsheets.limits import (
    _BROKEN_ZIP,
    MAX_COLUMNS,
    MAX_MEMBERS,
    MAX_PART_BYTES,
    MAX_PROLOG_BYTES,
    MAX_RATIO,
    MB,
    MSG_BROKEN_XLSX,
    MSG_ENCRYPTED,
    RATIO_FROM_BYTES,
    ZIP_MAGIC,
    Limits,
    RefusedFile,
    _mb,
    too_many_rows,
)

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
    elif head.startswith(ZIP_MAGIC) and not lower.startswith("xl/embeddings/"):
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
