"""The import engine: stream a file in chunks, validate rows, resolve customers, write in bulk.

Valid rows are committed chunk by chunk (so progress is visible and memory stays flat); a file
that cannot be read at all is refused before anything is written. Rejected cells go to a
CSV error report on disk, with message IDs, so the report is shown in the reader's language.
"""

import csv
import json
import logging
import os
import tempfile
import threading
import zoneinfo
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import IO

from django.conf import settings
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from analytics.imports.columns import ColumnMap, column_label, map_columns
from analytics.imports.demographics import write_row_extras
from analytics.imports.rows import (
    MSG_ORDER_ID_REPEATED,
    MSG_UNKNOWN_CUSTOMER,
    CellProblem,
    CustomerKeys,
    CustomerRecord,
    PurchaseRecord,
    RowChecker,
)
from analytics.imports.stores import ImportStores
from analytics.imports.writers import purchases_existing, purchases_upsert
from analytics.models import ImportKind
from surveyhub.spreadsheets.reading import Table, UnreadableFile, open_table
from surveys.customers.services import (
    CustomerData,
    customer_ids_match,
    customers_bulk_create,
    customers_bulk_update,
)

logger = logging.getLogger(__name__)

CHUNK_ROWS = 10_000
MAX_STORED_ERRORS = 200
REPORT_HEADER = ["row", "column", "value", "message", "params"]
MSG_NO_DATA_ROWS = _("The file has a header row but no data rows below it.")


@dataclass
class ImportOptions:
    kind: str
    encoding: str = ""
    dry_run: bool = False
    create_customers: bool = True
    mapping: dict[str, str] = field(default_factory=dict)
    # The ImportJob written rows are stamped with. With it, repeated order IDs are found in
    # the database chunk by chunk instead of in a set of every ID of the file.
    job_id: int | None = None


@dataclass
class ImportResult:
    rows_total: int = 0
    rows_ok: int = 0
    rows_failed: int = 0
    rows_created: int = 0
    rows_updated: int = 0
    customers_created: int = 0
    # Codes of the stores this import added to the managed list (dry run: would add).
    stores_added: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)  # rows imported with a part left out
    encoding: str = ""
    delimiter: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    report_path: str | None = None


def run_import(
    stream: IO[bytes],
    *,
    size: int,
    options: ImportOptions,
    on_progress: Callable[[ImportResult, float], None] | None = None,
) -> ImportResult:
    """Import a CSV/XLSX stream. Raises UnreadableFile (nothing written) for an unusable file."""
    kind = options.kind

    def looks_like_header(cells: list[str]) -> list[str]:
        found = map_columns(cells, kind=kind, mapping=options.mapping)
        return [column_label(name) for name in found.missing(kind)]

    table = open_table(stream, size=size, encoding=options.encoding, find_header=looks_like_header)
    columns = map_columns(table.header, kind=kind, mapping=options.mapping)
    result = ImportResult(
        encoding=table.encoding, delimiter=table.delimiter, columns=dict(columns.headers)
    )
    importer = _Importer(table=table, columns=columns, options=options, result=result)
    try:
        importer.run(on_progress)
        if not result.rows_total:
            raise UnreadableFile(MSG_NO_DATA_ROWS)
    finally:
        importer.close()
        table.close()
    return result


class _Importer:
    def __init__(self, *, table: Table, columns: ColumnMap, options: ImportOptions, result):
        self.table = table
        self.columns = columns
        self.options = options
        self.result = result
        self.checker = RowChecker(
            index=columns.index,
            tz=zoneinfo.ZoneInfo(settings.TIME_ZONE),
            default_currency=getattr(settings, "DEFAULT_CURRENCY", "CNY"),
        )
        self._repeats_in_database = options.job_id is not None and not options.dry_run
        # Resolved customers for the whole file: key → customer id (bounded by customer count).
        self.by_external: dict[str, int] = {}
        self.by_phone: dict[str, int] = {}
        self.by_email: dict[str, int] = {}
        self.stores = ImportStores(dry_run=options.dry_run, added=result.stores_added)
        self._report = tempfile.NamedTemporaryFile(  # noqa: SIM115 — closed in close()
            "w", suffix=".csv", newline="", encoding="utf-8", delete=False
        )
        self._report_writer = csv.writer(self._report)
        self._report_writer.writerow(REPORT_HEADER)
        self._lock = threading.Lock()
        self._pending: Future | None = None
        # A writer thread needs its own connection, committing on its own: only outside an
        # enclosing transaction (Celery task, management command), and only on PostgreSQL
        # where concurrent connections are cheap.
        self._writer = (
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-writer")
            if connection.vendor == "postgresql" and not connection.in_atomic_block
            else None
        )

    def close(self) -> None:
        if self._writer is not None:
            self._pending = None
            # The writer thread's own database connection must not outlive the import.
            self._writer.submit(_close_thread_connection).result()
            self._writer.shutdown()
        self._report.close()
        if self.result.rows_failed:
            self.result.report_path = self._report.name
        else:
            os.unlink(self._report.name)

    def run(self, on_progress) -> None:
        purchases = self.options.kind == ImportKind.PURCHASES
        check = self.checker.purchase if purchases else self.checker.customer
        reader = self.table.rows
        chunk: list = []
        for row in reader:
            if not any(row) and not any(cell not in (None, "") for cell in row):
                continue
            number = getattr(reader, "line_num", 0)
            self.result.rows_total += 1
            record = check(row, number)
            if isinstance(record, list):
                self._reject(number, record)
            else:
                chunk.append(record)
            if len(chunk) >= CHUNK_ROWS or self.result.rows_total % CHUNK_ROWS == 0:
                self._flush(chunk)
                chunk = []
                if self._repeats_in_database:
                    # Memory stays flat: earlier chunks' IDs are looked up in the database.
                    self.checker.seen_orders = set()
                if on_progress:
                    on_progress(self.result, self.table.fraction_read())
        self._flush(chunk)
        self._wait()
        if on_progress:
            on_progress(self.result, 1.0)

    def _reject(self, number: int, problems: Iterable[CellProblem]) -> None:
        with self._lock:
            self._reject_locked(number, problems)

    def _reject_locked(self, number: int, problems: Iterable[CellProblem]) -> None:
        self.result.rows_failed += 1
        for problem in problems:
            column = self.columns.headers.get(problem.column, problem.column)
            with translation.override(None):
                message_id = str(problem.message)  # the English msgid, translated when shown
            params = problem.params or {}
            self._report_writer.writerow(
                [number, column, problem.value, message_id, json.dumps(params) if params else ""]
            )
            if len(self.result.errors) < MAX_STORED_ERRORS:
                self.result.errors.append(
                    {
                        "row": number,
                        "column": column,
                        "field": problem.column,
                        "value": problem.value,
                        "message": message_id,
                        "params": params,
                    }
                )

    def _flush(self, records: list) -> None:
        """Write a chunk: in the writer thread when there is one, so that parsing the next
        chunk overlaps with the database work on this one (at most two chunks in memory)."""
        if not records:
            return
        if self._writer is None:
            self._flush_now(records)
            return
        self._wait()
        self._pending = self._writer.submit(self._flush_now, records)

    def _wait(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.result()  # re-raises what went wrong in the writer

    def _flush_now(self, records: list) -> None:
        purchases = self.options.kind == ImportKind.PURCHASES
        (self._flush_purchases if purchases else self._flush_customers)(records)
        write_row_extras(self, records)  # demographic profiles and referral codes

    # --- customers of the rows -------------------------------------------------------------

    def _lookup(self, keys: CustomerKeys) -> int | None:
        return (
            (keys.external_id and self.by_external.get(keys.external_id))
            or (keys.phone and self.by_phone.get(keys.phone))
            or (keys.email and self.by_email.get(keys.email))
            or None
        )

    def _remember(self, keys: CustomerKeys, customer_id: int) -> None:
        if keys.external_id:
            self.by_external.setdefault(keys.external_id, customer_id)
        if keys.phone:
            self.by_phone.setdefault(keys.phone, customer_id)
        if keys.email:
            self.by_email.setdefault(keys.email, customer_id)

    def _resolve(self, keys_list: list[CustomerKeys]) -> None:
        """Load the customers of a chunk that are not cached yet (three queries at most)."""
        unknown = [keys for keys in keys_list if self._lookup(keys) is None]
        if not unknown:
            return
        by_external, by_phone, by_email = customer_ids_match(
            external_ids={k.external_id for k in unknown if k.external_id},
            phones={k.phone for k in unknown if k.phone},
            emails={k.email for k in unknown if k.email},
        )
        self.by_external.update(by_external)
        self.by_phone.update(by_phone)
        self.by_email.update(by_email)

    def _create_missing(self, keys_list: list[CustomerKeys], extra=None) -> None:
        """Create the customers no row of the chunk could be matched to (deduplicated)."""
        pending: list[tuple[CustomerKeys, CustomerData]] = []
        claimed: dict[tuple[str, str], int] = {}
        for position, keys in enumerate(keys_list):
            if self._lookup(keys) is not None:
                continue
            slot = next(
                (
                    claimed[(kind, value)]
                    for kind, value in (
                        ("x", keys.external_id),
                        ("p", keys.phone),
                        ("e", keys.email),
                    )
                    if value and (kind, value) in claimed
                ),
                None,
            )
            if slot is None:
                slot = len(pending)
                data = CustomerData(
                    external_id=keys.external_id or None,
                    name=keys.name,
                    email=keys.email,
                    phone=keys.phone,
                    region=keys.region,
                )
                if extra is not None:
                    extra(position, data)
                pending.append((keys, data))
            else:
                _fill_blanks(pending[slot][1], keys)
            for kind, value in (("x", keys.external_id), ("p", keys.phone), ("e", keys.email)):
                if value:
                    claimed.setdefault((kind, value), slot)
        if not pending:
            return
        self.result.customers_created += len(pending)
        if self.options.dry_run:
            # Nothing is written: give the would-be customers placeholder ids for this run.
            for offset, (keys, _data) in enumerate(pending):
                self._remember(keys, -(self.result.customers_created + offset))
            return
        created = customers_bulk_create(rows=[data for _keys, data in pending])
        for (keys, _data), customer in zip(pending, created, strict=True):
            self._remember(keys, customer.pk)
        for keys in keys_list:
            customer_id = self._lookup(keys)
            if customer_id:
                self._remember(keys, customer_id)

    # --- purchases ---------------------------------------------------------------------------

    def _flush_purchases(self, records: list[PurchaseRecord]) -> None:
        keys_list = [record.customer for record in records]
        self._resolve(keys_list)
        if self.options.create_customers:
            self._create_missing(keys_list)
        kept: list[tuple[PurchaseRecord, int]] = []
        for record in records:
            customer_id = self._lookup(record.customer)
            if customer_id is None:
                column = next(
                    name
                    for name, value in (
                        ("customer_id", record.customer.external_id),
                        ("phone", record.customer.phone),
                        ("email", record.customer.email),
                    )
                    if value
                )
                value = getattr(
                    record.customer, "external_id" if column == "customer_id" else column
                )
                self.checker.seen_orders.discard(record.order_id)
                self._reject(record.row, [CellProblem(column, value, MSG_UNKNOWN_CUSTOMER)])
                continue
            self._remember(record.customer, customer_id)
            kept.append((record, customer_id))
        store_ids = self.stores.ids([record.store for record, _customer in kept])
        rows = [
            (
                record.order_id,
                customer_id,
                record.ordered_at,
                record.amount,
                record.currency,
                record.category,
                record.channel,
                record.quantity,
                record.amount < 0,
                self.options.job_id,
                store_id,
            )
            for (record, customer_id), store_id in zip(kept, store_ids, strict=True)
        ]
        repeated: set[str] = set()
        if self.options.dry_run:
            existing = purchases_existing([row[0] for row in rows])
            created, updated = len(rows) - existing, existing
        else:
            created, updated, repeated = purchases_upsert(rows, job_id=self.options.job_id)
        if repeated:
            self._reject_repeats(records, repeated)
        self.result.rows_ok += len(rows) - len(repeated)
        self.result.rows_created += created
        self.result.rows_updated += updated

    def _reject_repeats(self, records: list[PurchaseRecord], repeated: set[str]) -> None:
        """Reject the rows whose order ID an earlier chunk of this file already wrote."""
        for record in records:
            if record.order_id in repeated:
                problem = CellProblem("order_id", record.order_id, MSG_ORDER_ID_REPEATED)
                self._reject(record.row, [problem])

    # --- customers ---------------------------------------------------------------------------

    def _flush_customers(self, records: list[CustomerRecord]) -> None:
        self._resolve([record.customer for record in records])
        # Rows of unknown customers rejected below add no store either.
        reject = not self.options.create_customers
        named = [None if reject and not self._lookup(r.customer) else r.store for r in records]
        store_of = dict(zip(map(id, records), self.stores.ids(named), strict=True))
        updates: list[tuple[int, CustomerData]] = []
        new: list[CustomerRecord] = []
        for record in records:
            customer_id = self._lookup(record.customer)
            if customer_id is None:
                new.append(record)
            else:
                updates.append((customer_id, _customer_data(record, store_of[id(record)])))
        if new and not self.options.create_customers:
            for record in new:
                keys = record.customer
                column = "customer_id" if keys.external_id else ("phone" if keys.phone else "email")
                value = keys.external_id or keys.phone or keys.email
                self._reject(record.row, [CellProblem(column, value, MSG_UNKNOWN_CUSTOMER)])
            new = []
        if new:

            def extra(position: int, data: CustomerData) -> None:
                data.language = new[position].language
                data.tags = new[position].tags
                data.unsubscribed = new[position].unsubscribed
                data.store_id = store_of[id(new[position])]

            before = self.result.customers_created
            self._create_missing([record.customer for record in new], extra=extra)
            self.result.rows_created += self.result.customers_created - before
        self.result.rows_ok += len(updates) + len(new)
        self.result.rows_updated += len(updates)
        if updates and not self.options.dry_run:
            customers_bulk_update(updates=updates)


def _close_thread_connection() -> None:
    connection.close()  # `connection` resolves to the calling thread's own connection


def _customer_data(record: CustomerRecord, store_id: int | None) -> CustomerData:
    keys = record.customer
    return CustomerData(
        external_id=keys.external_id or None,
        name=keys.name,
        email=keys.email,
        phone=keys.phone,
        region=keys.region,
        language=record.language,
        tags=record.tags,
        unsubscribed=record.unsubscribed,
        store_id=store_id,
    )


def _fill_blanks(data: CustomerData, keys: CustomerKeys) -> None:
    for name in ("name", "email", "phone", "region"):
        if not getattr(data, name) and getattr(keys, name):
            setattr(data, name, getattr(keys, name))
    if not data.external_id and keys.external_id:
        data.external_id = keys.external_id


__all__ = ["ImportOptions", "ImportResult", "UnreadableFile", "run_import"]
