"""Reading CSV and XLSX files as a stream of rows, whatever their encoding and delimiter.

A file that cannot be read at all raises UnreadableFile with one clear message, before any
row is handed out. Memory stays flat: CSV is decoded incrementally and parsed by the csv
module, XLSX is read with openpyxl's read-only mode.
"""

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext_lazy as _

from surveyhub.spreadsheets import file_checks, limits, xlsx_checks
from surveyhub.spreadsheets.limits import RefusedFile

SAMPLE_BYTES = 256 * 1024
DELIMITERS = (",", "\t", ";", "|")
KNOWN_ENCODINGS = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "utf-8-sig": "utf-8-sig",
    "gbk": "gbk",
    "gb2312": "gbk",
    "cp936": "gbk",
    "gb18030": "gb18030",
    "big5": "big5",
    "utf-16": "utf-16",
}


# The whole file is refused; nothing was written (see limits.RefusedFile).
UnreadableFile = RefusedFile
MSG_DAMAGED_ROW = _(
    "Row %(row)s of the sheet holds a value that cannot be read; open the file in Excel, save "
    "it again and retry. Rows before it may have been saved; importing again is safe."
)


@dataclass
class Table:
    """An open file: its header row, and an iterator over the data rows after it."""

    header: list[str]
    header_row: int  # 1-based row number of the header
    rows: Iterator[list[Any]]
    fraction_read: Any  # () -> float in 0..1
    encoding: str = ""
    delimiter: str = ""
    extra: dict = field(default_factory=dict)

    def close(self) -> None:
        """Release what the reader holds open (an .xlsx workbook); the caller's stream stays."""
        workbook = self.extra.get("workbook")
        if workbook is not None:
            workbook.close()


def normalise_encoding(name: str) -> str:
    """The codec name we use for a user-given encoding; UnreadableFile if unknown."""
    key = name.strip().lower().replace("_", "-")
    if key in KNOWN_ENCODINGS:
        return KNOWN_ENCODINGS[key]
    try:
        return codecs.lookup(key).name
    except LookupError:
        raise UnreadableFile(_("Unknown encoding “%(name)s”."), {"name": name}) from None


def open_table(
    stream: IO[bytes],
    *,
    size: int,
    encoding: str = "",
    find_header,
    limit: limits.Limits | None = None,
) -> Table:
    """Detect the format of a binary stream and return its Table.

    `find_header(row) -> list[str]` names the columns a row lacks to be the header; the first
    of the first 10 non-empty rows lacking none is used. `limit` defaults to the settings'.
    """
    limit = limit or limits.limits()
    limits.check_size(size, limit)
    if file_checks.sniff(stream, limit) == limits.XLSX:
        return _open_xlsx(stream, find_header, limit)
    head = stream.read(SAMPLE_BYTES)
    stream.seek(0)
    chosen = normalise_encoding(encoding) if encoding else _detect_encoding(head)
    if chosen == "utf-8" and head.startswith(codecs.BOM_UTF8):
        chosen = "utf-8-sig"
    if b"\x00" in head and not chosen.startswith("utf-16"):
        raise UnreadableFile(limits.MSG_NOT_SPREADSHEET)
    if encoding:
        _check_decodes(stream, chosen)
    else:
        # The sample can be plain ASCII while Chinese text only starts further down.
        chosen = _first_that_decodes(
            stream, [chosen, *(e for e in ("gbk", "gb18030") if e != chosen)]
        )
    sample = codecs.getincrementaldecoder(chosen)(errors="replace").decode(head[: 64 * 1024])
    delimiter = _detect_delimiter(sample)
    _scan_csv(stream, encoding=chosen, delimiter=delimiter, limit=limit)
    return _open_csv(
        stream, size=size, encoding=chosen, delimiter=delimiter, find_header=find_header
    )


def _detect_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for candidate in ("utf-8", "gbk", "gb18030"):
        try:
            codecs.getincrementaldecoder(candidate)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return candidate
    from charset_normalizer import from_bytes

    best = from_bytes(head).best()
    if best is None:
        raise UnreadableFile(
            _("The text encoding could not be recognised; choose one (for example GBK) and retry.")
        )
    return normalise_encoding(best.encoding)


def _first_that_decodes(stream: IO[bytes], encodings: list[str]) -> str:
    first_error = None
    for candidate in encodings:
        try:
            _check_decodes(stream, candidate)
        except UnreadableFile as exc:
            first_error = first_error or exc
            continue
        return candidate
    raise first_error


def _check_decodes(stream: IO[bytes], encoding: str) -> None:
    """Decode the whole file once before any write, so a bad byte in row 900,000 changes nothing."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    try:
        while block := stream.read(1024 * 1024):
            decoder.decode(block)
            offset += len(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            _(
                "The file is not valid %(encoding)s text (bad bytes near byte %(offset)s); "
                "choose the right encoding and retry."
            ),
            {"encoding": encoding.upper(), "offset": offset + exc.start},
        ) from None
    finally:
        stream.seek(0)


class _CountingReader(io.RawIOBase):
    """A binary stream wrapper that counts the bytes handed to the decoder (for progress)."""

    def __init__(self, raw: IO[bytes]):
        self.raw = raw
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.read(len(buffer))
        buffer[: len(data)] = data
        self.consumed += len(data)
        return len(data)


def _text(stream: IO[bytes], encoding: str, counting: "_CountingReader | None" = None):
    raw = counting or _CountingReader(stream)
    return io.TextIOWrapper(io.BufferedReader(raw, 1024 * 1024), encoding=encoding, newline="")


def _scan_csv(stream: IO[bytes], *, encoding: str, delimiter: str, limit: limits.Limits) -> None:
    """One parse of the whole file before any write: NUL bytes, huge fields, too many rows."""
    text = _text(stream, encoding)
    try:
        file_checks.scan_csv(text, delimiter=delimiter, limit=limit)
    finally:
        text.detach()
        stream.seek(0)


def _open_csv(stream: IO[bytes], *, size: int, encoding: str, delimiter: str, find_header) -> Table:
    counting = _CountingReader(stream)
    text = _text(stream, encoding, counting)
    reader = csv.reader(text, delimiter=delimiter)
    header, header_row = _find_header(reader, find_header)

    def fraction() -> float:
        return min(counting.consumed / size, 1.0) if size else 0.0

    return Table(
        header=header,
        header_row=header_row,
        rows=reader,
        fraction_read=fraction,
        encoding=encoding,
        delimiter=delimiter,
    )


def _detect_delimiter(sample: str) -> str:
    lines = [line for line in sample.splitlines()[:30] if line.strip()]
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the last line of the sample may be cut
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            widths = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        if not widths or max(widths) < 2:
            continue
        common = max(set(widths), key=widths.count)
        score = (widths.count(common) if common > 1 else 0, common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _find_header(reader, find_header) -> tuple[list[str], int]:
    """The first of the first 10 non-empty rows that `find_header` accepts (returns no
    missing columns); a file without one is refused, naming the missing columns."""
    candidates = 0
    first: list[str] | None = None
    first_missing: list[str] = []
    for row in reader:
        number = getattr(reader, "line_num", None)
        if not any(str(cell).strip() for cell in row if cell is not None):
            continue
        cells = ["" if cell is None else str(cell).strip() for cell in row]
        missing = find_header(cells)
        if not missing:
            return cells, number or candidates + 1
        if first is None:
            first, first_missing = cells, missing
        candidates += 1
        if candidates >= 10:
            break
    if first is None:
        raise UnreadableFile(_("The file has no rows."))
    raise UnreadableFile(
        _("No usable header row: missing the column(s) %(missing)s (found: %(found)s)."),
        {
            "missing": ", ".join(first_missing),
            "found": ", ".join(cell for cell in first if cell)[:300] or "—",
        },
    )


def _open_xlsx(stream: IO[bytes], find_header, limit: limits.Limits) -> Table:
    from openpyxl import load_workbook

    # The package was checked (sizes, names, XML prologs); now count the rows actually there.
    total = xlsx_checks.scan_worksheets(stream, limit)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception:  # openpyxl raises many kinds of errors for a broken or foreign zip
        raise UnreadableFile(limits.MSG_BROKEN_XLSX) from None
    # The declared dimension (e.g. A1:XFD1048576) is ignored: openpyxl would pad every row
    # to it and hand out every row up to it. Rows come as they are in the sheet.
    sheet.reset_dimensions()
    rows = sheet.iter_rows(values_only=True)
    counter = _RowCounter(rows)
    header, header_row = _find_header(counter, find_header)

    def fraction() -> float:
        return min(counter.line_num / total, 1.0) if total else 0.0

    return Table(
        header=header,
        header_row=header_row,
        rows=counter,
        fraction_read=fraction,
        encoding="xlsx",
        delimiter="",
        extra={"workbook": workbook},
    )


class _RowCounter:
    """Iterates rows like csv.reader, keeping `line_num`."""

    def __init__(self, rows):
        self.rows = rows
        self.line_num = 0

    def __iter__(self):
        return self

    def __next__(self) -> list:
        try:
            row = next(self.rows)
        except StopIteration:
            raise
        except Exception:  # a value openpyxl cannot read; the XML itself was checked
            raise UnreadableFile(MSG_DAMAGED_ROW, {"row": self.line_num + 1}) from None
        self.line_num += 1
        return list(row)
