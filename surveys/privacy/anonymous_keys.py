"""The last step of an erasure: everything kept for the aggregates moves to a new anonymous key.

After the handlers have emptied the words, order IDs and files, the person's records still hang
off their customer row, whose id is known outside this database (staff links, API clients, an
earlier CRM sync, the access log). So every record pointing at one of the person's customer rows
— purchases, responses, invitations, feedback, cases, computed values, and whatever a later app
adds, found through the foreign keys to Customer — moves to a fresh anonymous customer row that
nothing else names: a random pseudonym, no region, no language, dated to the day only (its exact
creation time would match the erasure's). Each of the person's rows gets its own new key (a
merged duplicate's leftovers too, still merged into the new main key), so every per-customer
aggregate — RFM segments, NPS per segment, the value × satisfaction matrix — counts exactly as
before. The old row stays as an empty tombstone that says "erased on …" and holds nothing.

References to the records that still carry the old id are cut too: audiences picked by id
list point at the new key, and access-log entries about the person keep who, when and what kind
of record but no longer which one (the record id would lead from the old id to the new key).
"""

from __future__ import annotations

import secrets
from datetime import datetime

from django.db.models import Q

from surveys.models import Customer, Distribution, PersonalDataAccess
from surveys.privacy.erased import admin_log_forget, local_day


def _relations():
    """Every foreign key to Customer from another model (merges between customers aside)."""
    return [
        relation
        for relation in Customer._meta.related_objects
        if not relation.many_to_many and relation.related_model is not Customer
    ]


def _holds_records(customer_id: int) -> bool:
    return any(
        relation.related_model._base_manager.filter(**{relation.field.name: customer_id}).exists()
        for relation in _relations()
    )


def _new_key(now: datetime, merged_into: Customer | None = None) -> Customer:
    day = local_day(now)
    key = Customer.objects.create(
        name="", email="", phone="", region="", language="", external_id=None,
        consent=False, unsubscribed=True, unsubscribed_at=day, erased_at=day,
        pseudonym=f"anon-{secrets.token_hex(6)}", merged_into=merged_into,
    )  # fmt: skip
    # auto_now(_add) stamped the erasure's exact time: keep the day only.
    Customer.objects.filter(pk=key.pk).update(created_at=day, updated_at=day)
    return key


def _move_records(old_id: int, new_id: int) -> dict[str, int]:
    """Point every record of `old_id` at `new_id`; the admin's history of them loses its text
    (it names e.g. a purchase by its old order ID)."""
    moved = {}
    for relation in _relations():
        model, name = relation.related_model, relation.field.name
        rows = model._base_manager.filter(**{name: old_id})
        pks = list(rows.values_list("pk", flat=True))
        if pks:
            admin_log_forget(model, pks)
            model._base_manager.filter(pk__in=pks).update(**{name: new_id})
            moved[model._meta.label] = len(pks)
    return moved


def _audiences_remap(mapping: dict[int, int], old_ids: set[int]) -> int:
    """Audiences picked by id list: the person's old ids become their new keys (or go)."""
    changed = 0
    for distribution in Distribution.objects.filter(audience__has_key="customer_ids"):
        listed = distribution.audience.get("customer_ids") or []
        remapped = []
        for value in listed:
            number = int(value) if str(value).isdigit() else None
            if number in old_ids:
                if number in mapping:
                    remapped.append(mapping[number])
            else:
                remapped.append(value)
        if remapped != listed:
            distribution.audience = {**distribution.audience, "customer_ids": remapped}
            distribution.save(update_fields=["audience"])
            changed += 1
    return changed


def _access_log_unlink(ids: list[int]) -> int:
    """Entries about the person keep who, when, the action and the kind of record, but no
    longer which record (nor the path that named it). Entries are append-only for staff;
    erasure is the one writer allowed to do this."""
    entries = PersonalDataAccess.objects.filter(customer_id__in=ids)
    return entries.filter(~Q(object_id="") | ~Q(path="")).update(object_id="", path="")


def anonymous_rekey(ids: list[int], *, root_id: int, now: datetime) -> dict[str, int]:
    """Move the records of the person's customer rows `ids` (root `root_id` first) to new
    anonymous keys; return how many records of each model moved."""
    mapping: dict[int, int] = {}
    root_key = None
    if _holds_records(root_id):
        root_key = _new_key(now)
        mapping[root_id] = root_key.pk
    for old_id in ids:
        if old_id == root_id or not _holds_records(old_id):
            continue
        if root_key is None:
            root_key = _new_key(now)
            mapping[root_id] = root_key.pk
        mapping[old_id] = _new_key(now, merged_into=root_key).pk
    moved: dict[str, int] = {}
    for old_id, new_id in mapping.items():
        for label, count in _move_records(old_id, new_id).items():
            moved[label] = moved.get(label, 0) + count
    moved["audiences"] = _audiences_remap(mapping, set(ids))
    moved["access_log"] = _access_log_unlink(ids)
    return moved
