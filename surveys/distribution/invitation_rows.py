"""Writing many invitation rows at once: PostgreSQL's COPY (100,000 rows in a few seconds,
where bulk_create spends most of its time building model instances), bulk_create elsewhere.

Every column not given takes the model field's own default, read from the model, so a field
added later with a default needs no change here."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any, NamedTuple

from django.db import connection

from surveys.models import Invitation


class Contact(NamedTuple):
    """What the audience build reads of a customer (no model instance: 100,000 of them)."""

    pk: int
    email: str
    phone: str
    consent: bool
    unsubscribed: bool
    language: str


CONTACT_FIELDS = Contact._fields


def invitation_rows_insert(rows: Iterable[dict[str, Any]], *, now: datetime) -> int:
    """Insert invitations given as {field attname: value}; return how many were written."""
    rows = list(rows)
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        Invitation.objects.bulk_create([Invitation(**row) for row in rows], batch_size=1000)
        return len(rows)
    fields = [f for f in Invitation._meta.concrete_fields if not f.primary_key]
    defaults = {}
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            defaults[field.attname] = now
        else:
            defaults[field.attname] = field.get_default()
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(Invitation._meta.db_table)
    names = [f.attname for f in fields]
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[name] if name in row else defaults[name] for name in names])
    return len(rows)
