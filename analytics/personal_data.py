"""What `analytics` holds about a person — purchases, computed value, and the import files and
error reports that carried their rows — for the export and erasure of
surveys.privacy.personal_data.

Erasure anonymises purchases instead of deleting them: amount, currency, category, channel,
quantity and the day of the order feed revenue, RFM and CLV, so no total moves. What could lead
back to the person goes: the order ID (the key of the shop's own order system) becomes a random
one, the time of day is dropped (the order keeps its local calendar day, the finest grain any
metric uses), the link to the import that brought it is cut, and the customer key is replaced by
a new anonymous one (surveys.privacy.anonymous_keys, after every handler has run).

Import files and their error reports are rewritten, not deleted (they still serve everybody
else's rows): each row holding the person (their name, email, phone, external ID or one of their
order IDs, anywhere in the row) is blanked in place, so other rows keep their numbers; the
error report and the errors shown on the job lose that row and any value naming the person.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
import zipfile
from collections.abc import Iterable

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

from analytics.models import CustomerValue, ImportJob, Purchase
from surveys.models import Customer
from surveys.privacy.erased import local_day
from surveys.privacy.personal_data import PersonalDataHandler, register_personal_data

# Shorter strings would blank unrelated rows (two characters: a Chinese name can be that short).
MIN_IDENTIFIER_LENGTH = 2


def purchases_export(ids: list[int]) -> list[dict]:
    purchases = Purchase.objects.filter(customer__in=ids).order_by("ordered_at", "pk")
    return [
        {
            "order_id": p.order_id,
            "ordered_at": p.ordered_at.isoformat(),
            "amount": str(p.amount),
            "currency": p.currency,
            "category": p.category,
            "channel": p.channel,
            "quantity": p.quantity,
            "is_refund": p.is_refund,
        }
        for p in purchases
    ]


def value_export(ids: list[int]) -> list[dict]:
    values = (
        CustomerValue.objects.filter(customer__in=ids)
        .select_related("run")
        .order_by("run__as_of", "pk")
    )
    return [
        {
            "as_of": v.run.as_of.isoformat(),
            "rfm": {"r": v.r_score, "f": v.f_score, "m": v.m_score, "segment": v.rfm_segment},
            "orders": v.orders,
            "spend": str(v.spend),
            "p_alive": v.p_alive,
            "clv": str(v.clv),
            "value_tier": v.value_tier,
        }
        for v in values
    ]


def purchases_erase(ids: list[int]) -> int:
    """New random order IDs, the day without the time, no import job (see the module doc)."""
    purchases = list(Purchase.objects.filter(customer__in=ids).only("pk", "ordered_at"))
    for purchase in purchases:
        purchase.order_id = f"erased-{secrets.token_hex(12)}"
        purchase.ordered_at = local_day(purchase.ordered_at)
        purchase.created_at = purchase.updated_at = purchase.ordered_at
        purchase.import_job = None
    Purchase.objects.bulk_update(
        purchases,
        ["order_id", "ordered_at", "created_at", "updated_at", "import_job"],
        batch_size=500,
    )
    return len(purchases)


# Import files and error reports -----------------------------------------------------------


def _phone_forms(phone: str) -> set[str]:
    """The phone as stored and as a file may write it: digits only, without +86 / 86."""
    digits = re.sub(r"\D", "", phone)
    forms = {phone.strip(), digits}
    if digits.startswith("86") and len(digits) == 13:
        forms.add(digits[2:])
    return forms


def person_identifiers(ids: list[int]) -> set[str]:
    """What names the person in a file: names, emails, phones, external IDs, order IDs."""
    found: set[str] = set()
    for customer in Customer.objects.filter(pk__in=ids):
        found |= {customer.name.strip(), customer.email.strip().lower()}
        found.add((customer.external_id or "").strip())
        if customer.phone:
            found |= _phone_forms(customer.phone)
    found |= set(Purchase.objects.filter(customer__in=ids).values_list("order_id", flat=True))
    return {value for value in found if len(value) >= MIN_IDENTIFIER_LENGTH}


def _names_person(value, identifiers: set[str]) -> bool:
    text = str(value if value is not None else "").lower()
    return bool(text) and any(identifier.lower() in text for identifier in identifiers)


def _csv_rewrite(raw: bytes, job: ImportJob, identifiers: set[str]) -> tuple[bytes, set[int]]:
    """The CSV with the person's rows blanked (same encoding and delimiter); their numbers."""
    encoding = job.detected_encoding or "utf-8-sig"
    if encoding == "utf-8" and raw.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    try:
        text = raw.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        encoding = "gb18030"
        text = raw.decode(encoding, errors="replace")
    if not _names_person(text, identifiers):
        return raw, set()  # the usual case: one pass over the text, no parsing
    delimiter = job.detected_delimiter or ","
    out, rows = io.StringIO(), set()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    writer = csv.writer(out, delimiter=delimiter)
    for row in reader:
        if any(_names_person(cell, identifiers) for cell in row):
            rows.add(reader.line_num)
            row = [""] * len(row)
        writer.writerow(row)
    return out.getvalue().encode(encoding, errors="replace"), rows


def _xlsx_rewrite(raw: bytes, identifiers: set[str]) -> tuple[bytes, set[int]]:
    """The workbook with the person's rows blanked (values only: formatting is not kept)."""
    source = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    target, rows = Workbook(write_only=True), set()
    try:
        for index, sheet in enumerate(source.worksheets):
            copy = target.create_sheet(sheet.title)
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if any(_names_person(value, identifiers) for value in values):
                    if index == 0:
                        rows.add(number)
                    values = [None] * len(values)
                cells = []
                for value in values:
                    cell = WriteOnlyCell(copy, value=value)
                    if isinstance(value, str) and value.startswith("="):
                        cell.data_type = "s"  # text as uploaded, never turned into a formula
                    cells.append(cell)
                copy.append(cells)
    finally:
        source.close()
    out = io.BytesIO()
    target.save(out)
    return out.getvalue(), rows


def _replace_file(field, content: bytes) -> None:
    """Overwrite the stored file in place (same name, so links and the job stay valid)."""
    with field.storage.open(field.name, "wb") as stored:
        stored.write(content)


def _upload_scrub(job: ImportJob, identifiers: set[str]) -> set[int]:
    if not job.file or not job.file.storage.exists(job.file.name):
        return set()
    with job.file.open("rb") as stored:
        raw = stored.read()
    if raw.startswith(b"PK") and zipfile.is_zipfile(io.BytesIO(raw)):
        content, rows = _xlsx_rewrite(raw, identifiers)
    else:
        content, rows = _csv_rewrite(raw, job, identifiers)
    if rows:
        _replace_file(job.file, content)
    return rows


def _report_scrub(job: ImportJob, rows: set[int], identifiers: set[str]) -> bool:
    """Drop the report lines of the person's rows, and any line whose value names them."""
    report = job.error_report
    if not report or not report.storage.exists(report.name):
        return False
    with report.open("rb") as stored:
        text = stored.read().decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text, newline="")))
    kept = [lines[0]] if lines else []
    for line in lines[1:]:
        number = int(line[0]) if line and line[0].isdigit() else None
        if number in rows or any(_names_person(cell, identifiers) for cell in line):
            continue
        kept.append(line)
    if len(kept) == len(lines):
        return False
    out = io.StringIO()
    csv.writer(out).writerows(kept)
    _replace_file(report, out.getvalue().encode("utf-8"))
    return True


def _errors_scrub(errors: Iterable, rows: set[int], identifiers: set[str]) -> list:
    return [
        error
        for error in errors
        if not (
            isinstance(error, dict)
            and (error.get("row") in rows or _names_person(error.get("value"), identifiers))
        )
    ]


def imports_erase(ids: list[int]) -> int:
    """Blank the person's rows in every uploaded file, drop them from the error reports and the
    errors shown on the jobs. Runs before `purchases_erase` (it needs the order IDs)."""
    identifiers = person_identifiers(ids)
    if not identifiers:
        return 0
    changed = 0
    for job in ImportJob.objects.order_by("pk").iterator():
        rows = _upload_scrub(job, identifiers)
        reported = _report_scrub(job, rows, identifiers)
        errors = _errors_scrub(job.errors or [], rows, identifiers)
        if errors != (job.errors or []):
            ImportJob.objects.filter(pk=job.pk).update(errors=errors)
        if rows or reported or errors != (job.errors or []):
            changed += 1
    return changed


def register_personal_data_handlers() -> None:
    """Called from AnalyticsConfig.ready()."""
    register_personal_data(
        PersonalDataHandler(
            key="purchases", order=60, export=purchases_export, erase=purchases_erase
        )
    )
    register_personal_data(PersonalDataHandler(key="value", order=65, export=value_export))
    register_personal_data(PersonalDataHandler(key="imports", order=55, erase=imports_erase))
