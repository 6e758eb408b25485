"""The customers' imported attributes (`Customer.attributes`, e.g. {"会员等级": "金卡"}) as a
directory filter: which attribute names exist, and the customers with an attribute (of a
value). Values are compared as text, so 3 and "3" are the same."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.db.models import QuerySet, TextField
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from surveys.models import Customer

KEYS_CACHE = "customer-attribute-keys"
KEYS_SECONDS = 60  # a page view reads the names once a minute at most (a scan at 100k)
MAX_KEYS = 200


def attribute_keys() -> list[str]:
    """The attribute names the customers have, sorted (at most MAX_KEYS)."""
    keys = cache.get(KEYS_CACHE)
    if keys is None:
        keys = _read_keys()
        cache.set(KEYS_CACHE, keys, KEYS_SECONDS)
    return keys


def _read_keys() -> list[str]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT k FROM surveys_customer, jsonb_object_keys(attributes) k"
                " WHERE jsonb_typeof(attributes) = 'object' ORDER BY k LIMIT %s",
                [MAX_KEYS],
            )
            return [row[0] for row in cursor.fetchall()]
    found: set[str] = set()  # SQLite, the embedded default: its customers are few
    for attributes in Customer.objects.values_list("attributes", flat=True).iterator():
        if isinstance(attributes, dict):
            found.update(str(key) for key in attributes)
    return sorted(found)[:MAX_KEYS]


def with_attribute(customers: QuerySet, key: str, value: str = "") -> QuerySet:
    """The customers that have the attribute `key` (with the text `value`, when given)."""
    customers = customers.filter(attributes__has_key=key)
    if value:
        # As text on both databases (SQLite's JSON_EXTRACT keeps a number a number, and
        # Django would compare it with the value read as JSON).
        as_text = Cast(KeyTextTransform(key, "attributes"), output_field=TextField())
        customers = customers.annotate(_attribute=as_text).filter(_attribute=value.strip())
    return customers
