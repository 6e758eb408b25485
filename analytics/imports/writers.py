"""Bulk writes of one chunk of purchases: COPY + INSERT … ON CONFLICT on PostgreSQL,
bulk_create(update_conflicts=True) elsewhere.

Rows are stamped with their import job; an order this job already wrote (an order ID
repeated further down the same file) is left alone and reported back as a repeat, so no
import has to keep every order ID of a big file in memory."""

from django.db import connection, transaction

from analytics.models import Purchase

UPSERT_FIELDS = (
    "customer_id",
    "ordered_at",
    "amount",
    "currency",
    "category",
    "channel",
    "quantity",
    "is_refund",
    "import_job_id",
    "store_id",
)
# (order_id, customer_id, ordered_at, amount, currency, category, channel, qty, refund, job id,
#  store id). A row without a store (None) keeps the store the order already has.
Row = tuple


def purchases_upsert(rows: list[Row], *, job_id: int | None) -> tuple[int, int, set[str]]:
    """Insert new orders and update known ones (by order_id) in one transaction.

    Returns (created, updated, order IDs this job had already written and were left alone).
    """
    if not rows:
        return 0, 0, set()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            return _upsert_postgresql(rows, job_id)
        return _upsert_generic(rows, job_id)


def purchases_existing(order_ids: list[str]) -> int:
    """How many of these orders are already stored (for dry runs)."""
    return Purchase.objects.filter(order_id__in=order_ids).count()


_STAGE = "analytics_purchase_stage"


def _upsert_postgresql(rows: list[Row], job_id: int | None) -> tuple[int, int, set[str]]:
    table = connection.ops.quote_name(Purchase._meta.db_table)
    columns = ", ".join(("order_id", *UPSERT_FIELDS))
    updates = ", ".join(
        f"{name} = COALESCE(EXCLUDED.{name}, {table}.{name})"
        if name == "store_id"
        else f"{name} = EXCLUDED.{name}"
        for name in UPSERT_FIELDS
    )
    with connection.cursor() as cursor:
        # Chunks need not wait for their own WAL flush: the job's final status is committed
        # synchronously afterwards, and WAL is flushed in order, so a job reported finished
        # has all of its rows on disk.
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE} ("
            "order_id varchar(64), customer_id bigint, ordered_at timestamptz, "
            "amount numeric(12, 2), currency varchar(3), category varchar(100), "
            "channel varchar(50), quantity integer, is_refund boolean, import_job_id bigint, "
            "store_id bigint) ON COMMIT DELETE ROWS"
        )
        # Also emptied explicitly: inside an outer transaction nothing commits between chunks.
        cursor.execute(f"TRUNCATE {_STAGE}")
        with cursor.cursor.copy(f"COPY {_STAGE} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        # The WHERE skips rows this job wrote from earlier lines of the file: they are not
        # returned, and the anti-join below names them.
        cursor.execute(
            f"WITH upserted AS ("  # noqa: S608 — names come from the model, values from COPY
            f" INSERT INTO {table} ({columns}, created_at, updated_at)"
            f" SELECT {columns}, now(), now() FROM {_STAGE}"
            f" ON CONFLICT (order_id) DO UPDATE SET {updates}, updated_at = EXCLUDED.updated_at"
            f" WHERE {table}.import_job_id IS DISTINCT FROM EXCLUDED.import_job_id"
            f"   OR EXCLUDED.import_job_id IS NULL"
            f" RETURNING order_id, (xmax = 0) AS inserted"
            f") SELECT (SELECT count(*) FILTER (WHERE inserted) FROM upserted),"
            f" (SELECT count(*) FROM upserted),"
            f" ARRAY(SELECT s.order_id FROM {_STAGE} s"
            f"  WHERE NOT EXISTS (SELECT 1 FROM upserted u WHERE u.order_id = s.order_id))"
        )
        created, total, repeated = cursor.fetchone()
    return created, total - created, set(repeated)


def _upsert_generic(rows: list[Row], job_id: int | None) -> tuple[int, int, set[str]]:
    repeated: set[str] = set()
    if job_id is not None:
        repeated = set(
            Purchase.objects.filter(
                order_id__in=[row[0] for row in rows], import_job_id=job_id
            ).values_list("order_id", flat=True)
        )
        rows = [row for row in rows if row[0] not in repeated]
    order_ids = [row[0] for row in rows]
    existing = Purchase.objects.filter(order_id__in=order_ids).count()
    purchases = [
        Purchase(
            order_id=order_id,
            customer_id=customer_id,
            ordered_at=ordered_at,
            amount=amount,
            currency=currency,
            category=category,
            channel=channel,
            quantity=quantity,
            is_refund=is_refund,
            import_job_id=import_job_id,
            store_id=store_id,
        )
        for (order_id, customer_id, ordered_at, amount, currency, category, channel, quantity,
             is_refund, import_job_id, store_id) in rows
    ]  # fmt: skip
    fields = [f.removesuffix("_id") for f in UPSERT_FIELDS]
    # Rows without a store leave a known order's store alone (as the COALESCE above).
    for with_store in (True, False):
        batch = [p for p in purchases if (p.store_id is not None) is with_store]
        if batch:
            Purchase.objects.bulk_create(
                batch,
                batch_size=500,
                update_conflicts=True,
                unique_fields=["order_id"],
                update_fields=[
                    *(f for f in fields if with_store or f != "store"),
                    "updated_at",
                ],
            )
    return len(rows) - existing, existing, repeated
