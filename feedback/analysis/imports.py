"""Importing feedback from other channels (e-commerce reviews, call-centre notes…) from CSV or
XLSX: one item per row, customers matched, row-level errors, all valid rows in one transaction.

Files are read by `surveyhub.spreadsheets.reading`, the same checked reader as the purchase
and customer imports (type from the bytes, zip-bomb and entity guards, encoding detection).
"""

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.analysis.items import feedback_items_bulk_create, feedback_text_clean
from feedback.errors import FeedbackError
from feedback.models import FeedbackItem, FeedbackSource
from surveyhub.spreadsheets import limits
from surveyhub.spreadsheets.reading import open_table
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


def _missing_columns(cells: list[str]) -> list[str]:
    """What a row lacks to be the header: a text column under one of its names."""
    names = {cell.strip().lower() for cell in cells}
    return [] if names & set(COLUMNS["text"]) else [" / ".join(COLUMNS["text"])]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(" ")
    return str(value)


def read_rows(path: Path, *, encoding: str | None = None) -> list[tuple[int, list[str]]]:
    """The header and the data rows of a CSV or XLSX file as strings, each with its row number
    in the file (header first), read by the same checked reader as the purchase import.

    A refused file (size, type from its bytes, zip bombs, rows, encoding) raises FeedbackError
    naming what is wrong, before anything is parsed in bulk.
    """
    limit = replace(limits.limits(), max_rows=MAX_ROWS)
    try:
        with open(path, "rb") as stream:
            table = open_table(
                stream,
                size=path.stat().st_size,
                encoding=encoding or "",
                find_header=_missing_columns,
                limit=limit,
            )
            try:
                rows = [(table.header_row, table.header)]
                for row in table.rows:
                    rows.append((table.rows.line_num, [_cell(value) for value in row]))
            finally:
                table.close()
        return rows
    except limits.RefusedFile as exc:
        raise FeedbackError(exc.text) from None


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
    columns = _header_map(rows[0][1])
    body = rows[1:]
    if not any(any(cell.strip() for cell in row) for _number, row in body):
        raise FeedbackError(_("The file has a header row but no data rows below it."))
    result = ImportResult(rows_total=len(body))
    parsed: list[tuple[int, dict[str, str]]] = []
    for number, row in body:
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
