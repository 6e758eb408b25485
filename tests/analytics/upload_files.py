"""Hostile and malformed upload files, each built from scratch and small on disk."""

import functools
import io
import zipfile
from dataclasses import dataclass

from openpyxl import Workbook

CHANNELS = ["api", "page", "command"]


@dataclass
class Outcome:
    """What an uploader is told, through one public interface."""

    status: int | None  # HTTP status (None for the command)
    message: str  # in English
    job: object | None  # the ImportJob, when one was created


def assert_refused_cleanly(outcome: Outcome, message: str) -> None:
    """Refused with `message`, and nothing half-done: no purchase, no customer, and a job (if
    one was created) that failed with the same message."""
    from analytics.models import ImportStatus, Purchase
    from surveys.models import Customer

    assert message in outcome.message, outcome.message
    if outcome.status is not None:
        assert outcome.status in (201, 302, 400, 413, 200)
    if outcome.job is not None:
        assert outcome.job.status == ImportStatus.FAILED
        assert outcome.job.rows_ok == 0
    assert not Purchase.objects.exists()
    assert not Customer.objects.exists()


HEADER = ["customer_id", "order_id", "ordered_at", "amount"]
ROWS = [HEADER, ["C1", "O1", "2026-01-05", 10], ["C1", "O2", "2026-01-06", 20]]
SHEET = "xl/worksheets/sheet1.xml"
SHARED_STRINGS = "xl/sharedStrings.xml"


def xlsx(rows=ROWS) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewrite(package: bytes, changes: dict[str, bytes | None], *, extra=()) -> bytes:
    """A copy of a zip with some members replaced (None drops one) and `extra` ones added:
    `extra` is a list of (ZipInfo or name, data)."""
    source = zipfile.ZipFile(io.BytesIO(package))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in changes:
                if changes[info.filename] is not None:
                    target.writestr(info.filename, changes[info.filename])
            else:
                target.writestr(info, source.read(info))
        for name, data in extra:
            target.writestr(name, data)
    return buffer.getvalue()


def sheet_xml(package: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(package)).read(SHEET)


@functools.cache
def zip_bomb_xlsx(megabytes: int = 64) -> bytes:
    """A workbook whose sheet unpacks to `megabytes` MB of blank rows from ~1/1000 of that."""
    sheet = sheet_xml(xlsx())
    head, _, tail = sheet.partition(b"</sheetData>")
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx())) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != SHEET:
                target.writestr(info, source.read(info))
        with target.open(SHEET, "w", force_zip64=True) as member:
            member.write(head)
            padding = b" " * (1024 * 1024)
            for _ in range(megabytes):
                member.write(padding)
            member.write(b"</sheetData>" + tail)
    return buffer.getvalue()


def billion_laughs_xlsx() -> bytes:
    """The sheet XML declares nested entities that expand to ~3 GB of text."""
    entities = ['<!ENTITY lol0 "lolololololololololol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    ]
    doctype = "<!DOCTYPE worksheet [" + "".join(entities) + "]>"
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>' + doctype + '<worksheet xmlns="http://schemas.'
        'openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" '
        't="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
    )
    return rewrite(xlsx(), {SHEET: sheet.encode()})


def with_shared_strings(strings: bytes) -> bytes:
    """The sample workbook with a shared-strings part that openpyxl loads."""
    package = xlsx()
    types = zipfile.ZipFile(io.BytesIO(package)).read("[Content_Types].xml")
    types = types.replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    return rewrite(package, {"[Content_Types].xml": types}, extra=[(SHARED_STRINGS, strings)])


def _strings(body: bytes, prolog: bytes = b'<?xml version="1.0"?>') -> bytes:
    return (
        prolog + b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + body + b"</sst>"
    )  # fmt: skip


def external_entity_xlsx() -> bytes:
    """XXE: the shared strings would pull in a local file."""
    prolog = b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    return with_shared_strings(_strings(b"<si><t>&xxe;</t></si>", prolog))


@functools.cache
def huge_dimension_xlsx(rows: int = 2) -> bytes:
    """Real rows under a declared dimension of every cell Excel has (A1:XFD1048576), which
    a reader trusting it pads to 16,384 cells each."""
    sheet = sheet_xml(xlsx())
    start = sheet.index(b"<dimension")
    end = sheet.index(b">", start) + 1
    sheet = sheet[:start] + b'<dimension ref="A1:XFD1048576"/>' + sheet[end:]
    extra = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>C1</t></is></c><c r="B%d" '
        b't="inlineStr"><is><t>X%d</t></is></c><c r="C%d" t="inlineStr"><is><t>2026-01-05'
        b'</t></is></c><c r="D%d"><v>5</v></c></row>' % ((n,) * 6)
        for n in range(4, rows + 2)
    )
    sheet = sheet.replace(b"</sheetData>", extra + b"</sheetData>")
    return rewrite(xlsx(), {SHEET: sheet})


@functools.cache
def truncated_xlsx(rows: int = 12_000) -> bytes:
    """More good rows than one committed chunk, then the sheet XML stops mid-way."""
    sheet = sheet_xml(huge_dimension_xlsx(rows))
    return rewrite(xlsx(), {SHEET: sheet[: len(sheet) - 200]})


def bad_reference_xlsx() -> bytes:
    sheet = sheet_xml(xlsx()).replace(b'<c r="B3"', b'<c r="B3>"', 1)
    return rewrite(xlsx(), {SHEET: sheet})


def unreadable_value_xlsx() -> bytes:
    """Well-formed XML, but a number cell whose value is not a number."""
    sheet = sheet_xml(xlsx()).replace(b"<v>10</v>", b"<v>ten</v>", 1)
    return rewrite(xlsx(), {SHEET: sheet})


def last_row_xlsx(row: int = 1048576) -> bytes:
    """A blank row at the very bottom: a reader hands out every row up to it."""
    sheet = sheet_xml(xlsx()).replace(b"</sheetData>", f'<row r="{row}"/></sheetData>'.encode())
    return rewrite(xlsx(), {SHEET: sheet})


def wide_xlsx() -> bytes:
    """One cell in the last column Excel has (XFD), which would pad every row to 16,384."""
    cell = b'<c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>'
    sheet = sheet_xml(xlsx())
    first_row_end = sheet.index(b"</row>", sheet.index(b'<row r="2"'))
    sheet = sheet[:first_row_end] + cell + sheet[first_row_end + len(b"</row>") :]
    return rewrite(xlsx(), {SHEET: sheet})


@functools.cache
def shared_strings_bomb_xlsx(count: int = 2_000_000) -> bytes:
    """Millions of shared strings, all loaded in memory by openpyxl before the first row."""
    return with_shared_strings(_strings(b"<si><t>a</t></si>" * count))


def many_shared_strings_xlsx(count: int) -> bytes:
    """Distinct shared strings: compresses like real text, so only a size cap stops it."""
    return with_shared_strings(_strings(b"".join(b"<si><t>%d</t></si>" % n for n in range(count))))


def traversal_xlsx() -> bytes:
    return rewrite(xlsx(), {}, extra=[("../../etc/cron.d/evil", b"* * * * * root sh")])


def nested_zip_xlsx() -> bytes:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("inner.txt", b"hi")
    return rewrite(xlsx(), {}, extra=[("xl/media/inner.bin", inner.getvalue())])


def docx_renamed() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("orders.csv", ",".join(HEADER) + "\nC1,O1,2026-01-05,10\n")
    return buffer.getvalue()


def compound_file(*names: str) -> bytes:
    """A minimal OLE compound file whose directory holds `names`: ("Workbook",) is an old
    .xls; ("EncryptionInfo", "EncryptedPackage") is how Excel stores a password-protected
    .xlsx."""
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[24:26] = (0x3E).to_bytes(2, "little")
    header[26:28] = (3).to_bytes(2, "little")
    header[28:30] = b"\xfe\xff"
    header[30:32] = (9).to_bytes(2, "little")  # 512-byte sectors
    header[32:34] = (6).to_bytes(2, "little")
    header[44:48] = (1).to_bytes(4, "little")  # one FAT sector
    header[48:52] = (1).to_bytes(4, "little")  # directory starts in sector 1
    header[56:60] = (4096).to_bytes(4, "little")
    header[60:64] = header[68:72] = (0xFFFFFFFE).to_bytes(4, "little")
    header[76:80] = (0).to_bytes(4, "little")  # the FAT is sector 0
    header[80:512] = b"\xff" * 432
    fat = bytearray(b"\xff" * 512)
    fat[0:4] = (0xFFFFFFFD).to_bytes(4, "little")
    fat[4:8] = (0xFFFFFFFE).to_bytes(4, "little")
    directory = bytearray(512)
    for index, name in enumerate(["Root Entry", *names][:4]):
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        entry = index * 128
        directory[entry : entry + len(encoded)] = encoded
        directory[entry + 64 : entry + 66] = len(encoded).to_bytes(2, "little")
        directory[entry + 66] = 5 if index == 0 else 2
    return bytes(header + fat + directory)


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40
