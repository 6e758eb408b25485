"""Importing feedback from other channels (e-commerce reviews, call-centre notes…) from CSV or
XLSX: one item per row, customers matched, row-level errors, all valid rows in one transaction.

Reads files itself (csv + openpyxl, UTF-8/GBK detection): `analytics.imports` sits above
`feedback` and must not be imported from here.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.analysis.items import feedback_items_bulk_create, feedback_text_clean
from feedback.errors import FeedbackError
from feedback.models import FeedbackItem, FeedbackSource
from surveyhub.spreadsheets import file_checks
from surveys.customers.phones import InvalidPhone, normalize_phone
from surveys.customers.services import customer_ids_match

# Column → the header names (lower-case) it is recognised by.
COLUMNS = {
    "text": (
        "text",
        "comment",
        "content",
        "review",
        "feedback",
        "文本",
        "内容",
        "评价",
        "评论",
        "反馈",
    ),
    "source": ("source", "channel", "来源", "渠道"),
    "external_ref": ("external_ref", "id", "review_id", "ticket", "编号", "评价编号", "工单号"),
    "customer_external_id": ("customer_external_id", "customer_id", "客户编号", "会员号"),
    "phone": ("phone", "mobile", "手机", "手机号", "电话"),
    "email": ("email", "邮箱", "电子邮件"),
    "created_at": ("created_at", "date", "time", "时间", "日期"),
}
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y/%m/%d %H:%M", "%Y/%m/%d")
MAX_ROWS = 200_000


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    rows_total: int = 0
    created: int = 0
    duplicates: int = 0
    errors: list[RowError] = field(default_factory=list)


def _decode(raw: bytes, encoding: str | None) -> str:
    if encoding:
        try:
            return raw.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            raise FeedbackError(
                _("The file cannot be read as %(encoding)s.") % {"encoding": encoding}
            ) from None
    for candidate in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(candidate)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise FeedbackError(_("The file's text encoding is not recognised; give --encoding."))
    return str(best)


def read_rows(path: Path, *, encoding: str | None = None) -> list[list[str]]:
    """All rows of a CSV or XLSX file as strings (header first).

    The file is checked first (size, type from its bytes, zip bombs, rows): a refused file
    raises FeedbackError naming what is wrong, before anything is parsed in bulk.
    """
    limit = replace(file_checks.limits(), max_rows=MAX_ROWS)
    try:
        file_checks.check_size(path.stat().st_size, limit)
        with open(path, "rb") as stream:
            kind = file_checks.sniff(stream, limit)
            if kind == file_checks.XLSX:
                return _read_xlsx(stream, limit)
            raw = stream.read()
        text = _decode(raw, encoding)
        del raw
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
        except csv.Error:
            dialect = csv.excel
        file_checks.scan_csv(io.StringIO(text), delimiter=dialect.delimiter, limit=limit)
        return list(csv.reader(io.StringIO(text), dialect))
    except file_checks.RefusedFile as exc:
        raise FeedbackError(exc.text) from None


def _read_xlsx(stream, limit: file_checks.Limits) -> list[list[str]]:
    from openpyxl import load_workbook

    file_checks.scan_worksheets(stream, limit)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception:
        raise FeedbackError(_("The file is not a readable Excel workbook.")) from None
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # rows as they are, not padded to a declared A1:XFD1048576
        return [
            ["" if v is None else (v.isoformat(" ") if isinstance(v, dt.datetime) else str(v))
             for v in row]
            for row in sheet.iter_rows(values_only=True)
        ]  # fmt: skip
    except Exception:  # a cell value openpyxl cannot read; the XML itself was checked
        raise FeedbackError(_("The file is not a readable Excel workbook.")) from None
    finally:
        workbook.close()


def _header_map(header: list[str]) -> dict[str, int]:
    found = {}
    for index, name in enumerate(header):
        key = name.strip().lower()
        for column, aliases in COLUMNS.items():
            if key in aliases and column not in found:
                found[column] = index
    if "text" not in found:
        raise FeedbackError(
            _("No text column: name one of %(names)s.") % {"names": ", ".join(COLUMNS["text"])}
        )
    return found


def _parse_date(raw: str) -> dt.datetime:
    for pattern in DATE_FORMATS:
        try:
            value = dt.datetime.strptime(raw.strip(), pattern)
        except ValueError:
            continue
        return timezone.make_aware(value)
    raise ValueError(raw)


def feedback_import(
    *, path: Path, source: str = FeedbackSource.IMPORT, encoding: str | None = None,
    dry_run: bool = False,
) -> ImportResult:  # fmt: skip
    """Import a file of feedback; rows with errors are reported and skipped, the valid rows
    are created in one transaction (none with `dry_run`) and queued for analysis."""
    if source not in FeedbackSource.values or source == FeedbackSource.SURVEY:
        raise FeedbackError(_("Unknown source."), field="source")
    rows = read_rows(path, encoding=encoding)
    if not rows:
        raise FeedbackError(_("The file is empty."))
    columns = _header_map(rows[0])
    body = rows[1:]
    if not any(any(cell.strip() for cell in row) for row in body):
        raise FeedbackError(_("The file has a header row but no data rows below it."))
    result = ImportResult(rows_total=len(body))
    parsed: list[tuple[int, dict[str, str]]] = []
    for number, row in enumerate(body, start=2):
        values = {c: (row[i].strip() if i < len(row) else "") for c, i in columns.items()}
        if not any(row):
            result.rows_total -= 1
            continue
        parsed.append((number, values))
    items = _items(parsed, source, result)
    if dry_run:
        result.created = len(items)
        return result
    with transaction.atomic():
        result.created = len(feedback_items_bulk_create(items=items))
    result.duplicates = len(items) - result.created
    return result


def _items(parsed, source: str, result: ImportResult) -> list[FeedbackItem]:
    phones = {}
    for number, values in parsed:
        if values.get("phone"):
            try:
                phones[number] = normalize_phone(values["phone"])
            except InvalidPhone:
                result.errors.append(RowError(number, "phone", _("Not a phone number.")))
    by_external, by_phone, by_email = customer_ids_match(
        external_ids=[
            v["customer_external_id"] for _n, v in parsed if v.get("customer_external_id")
        ],
        phones=phones.values(),
        emails=[v["email"].lower() for _n, v in parsed if v.get("email")],
    )
    failed = {e.row for e in result.errors}
    items = []
    for number, values in parsed:
        try:
            text = feedback_text_clean(values["text"])
        except FeedbackError as exc:
            result.errors.append(RowError(number, "text", str(exc.message)))
            continue
        created_at = None
        if values.get("created_at"):
            try:
                created_at = _parse_date(values["created_at"])
            except ValueError:
                result.errors.append(
                    RowError(number, "created_at", _("Expected a date like 2026-01-31 14:30."))
                )
                continue
        row_source = values.get("source") or source
        if row_source not in FeedbackSource.values or row_source == FeedbackSource.SURVEY:
            result.errors.append(RowError(number, "source", _("Unknown source.")))
            continue
        if number in failed:
            continue
        customer_id = (
            by_external.get(values.get("customer_external_id", ""))
            or by_phone.get(phones.get(number, ""))
            or by_email.get(values.get("email", "").lower())
        )
        items.append(
            FeedbackItem(
                text=text,
                source=row_source,
                external_ref=values.get("external_ref", "")[:100],
                customer_id=customer_id,
                created_at=created_at or timezone.now(),
            )
        )
    result.errors.sort(key=lambda e: e.row)
    return items
