"""Customer directory services: the only code that creates, changes, matches and merges customers.

Imports (in `analytics`) and the API call these; `surveys` never imports a higher app, so merging
moves related rows generically over `Customer._meta.related_objects`.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _

from surveyhub.api.errors import DomainError
from surveys.customers.phones import InvalidPhone, normalize_phone
from surveys.models import Customer, CustomerTag

logger = logging.getLogger(__name__)

CUSTOMER_FIELDS = (
    "external_id",
    "name",
    "email",
    "phone",
    "region",
    "language",
    "attributes",
    "consent",
    "unsubscribed",
)


class CustomerError(DomainError):
    """A customer operation that cannot be done; `message` is shown to the user, `field` names
    the input at fault."""


@dataclass
class CustomerData:
    """What an import row knows about a customer (already cleaned and normalised)."""

    external_id: str | None = None
    name: str = ""
    email: str = ""
    phone: str = ""
    region: str = ""
    language: str = ""
    tags: list[str] = field(default_factory=list)
    unsubscribed: bool | None = None
    store_id: int | None = None  # the home store, from the managed list


def customer_phone_clean(phone: str) -> str:
    """Normalise a phone for storage (E.164, +86 default); raise CustomerError if invalid."""
    if not phone:
        return ""
    try:
        return normalize_phone(phone)
    except InvalidPhone:
        raise CustomerError(
            _("Not a phone number: expected e.g. 138 0013 8000 or +86 138 0013 8000."),
            field="phone",
        ) from None


def _validated_save(customer: Customer) -> None:
    if (
        customer.external_id
        and Customer.objects.filter(external_id=customer.external_id)
        .exclude(pk=customer.pk)
        .exists()
    ):
        raise CustomerError(
            _("Another customer already has this external ID."), field="external_id"
        )
    try:
        customer.full_clean()
    except ValidationError as exc:
        field_name, messages = next(iter(exc.message_dict.items()))
        field_name = None if field_name == "__all__" else field_name
        raise CustomerError(messages[0], field=field_name) from None
    customer.save()


def _tags_set(customer: Customer, names: Iterable[str]) -> None:
    tags = [CustomerTag.objects.get_or_create(name=name.strip())[0] for name in names if name]
    customer.tags.set(tags)


@transaction.atomic
def customer_create(
    *,
    external_id: str | None = None,
    name: str = "",
    email: str = "",
    phone: str = "",
    region: str = "",
    language: str = "zh-hans",
    tags: Iterable[str] = (),
    attributes: dict[str, Any] | None = None,
    consent: bool = True,
    unsubscribed: bool = False,
) -> Customer:
    """Create a directory entry; the phone is stored normalised (E.164)."""
    customer = Customer(
        external_id=external_id or None,
        name=name,
        email=(email or "").strip().lower(),
        phone=customer_phone_clean(phone),
        region=region,
        language=language,
        attributes=attributes or {},
        consent=consent,
        unsubscribed=unsubscribed,
    )
    _validated_save(customer)
    _tags_set(customer, tags)
    return customer


@transaction.atomic
def customer_update(
    *, customer: Customer, tags: Iterable[str] | None = None, **changes: Any
) -> Customer:
    """Change the given fields of a customer (validated); `tags` replaces the tag set."""
    unknown = set(changes) - set(CUSTOMER_FIELDS)
    if unknown:
        raise TypeError(f"unknown customer fields: {sorted(unknown)}")
    if "phone" in changes:
        changes["phone"] = customer_phone_clean(changes["phone"])
    if "email" in changes:
        changes["email"] = (changes["email"] or "").strip().lower()
    if "external_id" in changes:
        changes["external_id"] = changes["external_id"] or None
    for name, value in changes.items():
        setattr(customer, name, value)
    _validated_save(customer)
    if tags is not None:
        _tags_set(customer, tags)
    return customer


def customer_delete(*, customer: Customer) -> None:
    """Delete a customer; refused while purchases or other protected records point to it."""
    try:
        customer.delete()
    except ProtectedError:
        raise CustomerError(
            _("This customer has purchases or other records and cannot be deleted; merge instead.")
        ) from None


def _kept(customer_id: int, merged_into: dict[int, int | None]) -> int:
    return merged_into.get(customer_id) or customer_id


def customer_match(
    *, external_id: str | None = None, phone: str | None = None, email: str | None = None
) -> Customer | None:
    """The directory entry for a person: by external ID, then normalised phone, then email.

    A customer merged into another resolves to the one that was kept.
    """
    candidates = Customer.objects.select_related("merged_into")
    found = None
    if external_id:
        found = candidates.filter(external_id=external_id).first()
    if found is None and phone:
        try:
            normalised = normalize_phone(phone)
        except InvalidPhone:
            normalised = None
        if normalised:
            found = candidates.filter(phone=normalised).order_by("merged_into", "id").first()
    if found is None and email:
        found = candidates.filter(email__iexact=email.strip()).order_by("merged_into", "id").first()
    if found is not None and found.merged_into_id:
        return found.merged_into
    return found


def customer_ids_match(
    *, external_ids: Iterable[str] = (), phones: Iterable[str] = (), emails: Iterable[str] = ()
) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Batch matching for imports: (external_id → id, phone → id, email → id), merged resolved.

    Phones must already be normalised; emails lower-case.
    """
    by_external: dict[str, int] = {}
    by_phone: dict[str, int] = {}
    by_email: dict[str, int] = {}
    columns = ("id", "external_id", "phone", "email", "merged_into_id")
    external_ids, phones, emails = set(external_ids), set(phones), set(emails)
    if external_ids:
        for pk, ext, _p, _e, merged in Customer.objects.filter(
            external_id__in=external_ids
        ).values_list(*columns):
            by_external[ext] = merged or pk
    if phones:
        # Unmerged first, oldest first: the first customer seen for a phone wins.
        for pk, _x, phone, _e, merged in (
            Customer.objects.filter(phone__in=phones)
            .order_by("-merged_into", "-id")
            .values_list(*columns)
        ):
            by_phone[phone] = merged or pk
    if emails:
        for pk, _x, _p, email, merged in (
            Customer.objects.filter(email__in=emails)
            .order_by("-merged_into", "-id")
            .values_list(*columns)
        ):
            by_email[email.lower()] = merged or pk
    return by_external, by_phone, by_email


def customers_bulk_create(*, rows: list[CustomerData]) -> list[Customer]:
    """Create many customers at once (rows already validated by the importer); returns them."""
    customers = [
        Customer(
            external_id=row.external_id or None,
            name=row.name,
            email=row.email,
            phone=row.phone,
            region=row.region,
            language=row.language or "zh-hans",
            unsubscribed=bool(row.unsubscribed),
            store_id=row.store_id,
        )
        for row in rows
    ]
    with transaction.atomic():
        created = Customer.objects.bulk_create(customers, batch_size=1000)
        _bulk_tag(created, rows)
    return created


def customers_bulk_update(*, updates: list[tuple[int, CustomerData]]) -> int:
    """Apply import rows to existing customers: only the fields a row gives are changed."""
    if not updates:
        return 0
    by_id = Customer.objects.in_bulk([pk for pk, _row in updates])
    changed: dict[int, Customer] = {}
    fields: set[str] = set()
    tagged: list[tuple[Customer, CustomerData]] = []
    for pk, row in updates:
        customer = by_id.get(pk)
        if customer is None:
            continue
        for name in ("external_id", "name", "email", "phone", "region", "language", "store_id"):
            value = getattr(row, name)
            if value and getattr(customer, name) != value:
                setattr(customer, name, value)
                fields.add(name)
                changed[pk] = customer
        if row.unsubscribed is not None and customer.unsubscribed != row.unsubscribed:
            customer.unsubscribed = row.unsubscribed
            fields.add("unsubscribed")
            changed[pk] = customer
        if row.tags:
            tagged.append((customer, row))
    with transaction.atomic():
        if changed:
            Customer.objects.bulk_update(list(changed.values()), sorted(fields), batch_size=1000)
        if tagged:
            _bulk_tag([c for c, _r in tagged], [r for _c, r in tagged])
    return len(changed)


def _bulk_tag(customers: list[Customer], rows: list[CustomerData]) -> None:
    names = {name for row in rows for name in row.tags}
    if not names:
        return
    CustomerTag.objects.bulk_create(
        [CustomerTag(name=name) for name in names], ignore_conflicts=True
    )
    tag_ids = dict(CustomerTag.objects.filter(name__in=names).values_list("name", "id"))
    through = Customer.tags.through
    links = [
        through(customer_id=customer.pk, customertag_id=tag_ids[name])
        for customer, row in zip(customers, rows, strict=True)
        for name in row.tags
    ]
    through.objects.bulk_create(links, ignore_conflicts=True)


TAG_MAX = 64  # CustomerTag.name
TAG_AT_ONCE = 10_000


@transaction.atomic
def customers_tag_add(*, customer_ids: Iterable[int], name: str, by=None) -> tuple[int, int]:
    """Add the tag `name` to these customers in one insert (merged and erased customers
    left out): a segment the directory and the audience builder can pick. Returns (newly
    tagged, already had it)."""
    name = " ".join((name or "").split())
    if not name:
        raise CustomerError(_("Give the tag a name."), field="tag")
    if len(name) > TAG_MAX:
        raise CustomerError(
            _("A tag can be at most %(n)d characters.") % {"n": TAG_MAX}, field="tag"
        )
    ids = sorted({int(pk) for pk in customer_ids})
    if not ids:
        raise CustomerError(_("Choose at least one customer."), field="customers")
    if len(ids) > TAG_AT_ONCE:
        raise CustomerError(
            _("At most %(n)d customers at once.") % {"n": TAG_AT_ONCE}, field="customers"
        )
    tag, _created = CustomerTag.objects.get_or_create(name=name)
    chosen = list(
        Customer.objects.filter(pk__in=ids, merged_into__isnull=True, erased_at__isnull=True)
        .values_list("pk", flat=True)
    )  # fmt: skip
    through = Customer.tags.through
    had = set(
        through.objects.filter(customertag=tag, customer_id__in=chosen)
        .values_list("customer_id", flat=True)
    )  # fmt: skip
    links = [through(customer_id=pk, customertag=tag) for pk in chosen if pk not in had]
    through.objects.bulk_create(links, ignore_conflicts=True)  # one tagging at the same time
    added = len(links)
    logger.info(
        "tag %r added to %d customers (%d already had it) by %s",
        name, added, len(chosen) - added, getattr(by, "username", "") or "-",
    )  # fmt: skip
    return added, len(chosen) - added


@transaction.atomic
def customer_merge(*, keep: Customer, duplicate: Customer) -> Customer:
    """Merge `duplicate` into `keep`: every record pointing to it moves, blanks are filled in.

    The duplicate stays (so old links still resolve) with `merged_into` = keep. Rows that would
    break a uniqueness rule on the kept customer (e.g. two invitations to one distribution) stay
    with the duplicate.
    """
    if keep.pk == duplicate.pk:
        raise CustomerError(_("A customer cannot be merged into itself."))
    keep = Customer.objects.select_for_update().get(pk=keep.pk)
    duplicate = Customer.objects.select_for_update().get(pk=duplicate.pk)
    if keep.merged_into_id:
        raise CustomerError(_("The customer to keep was itself merged into another one."))
    if duplicate.merged_into_id:
        raise CustomerError(_("This customer was already merged into another one."))

    for relation in Customer._meta.related_objects:
        if relation.many_to_many:
            _move_many_to_many(relation, keep, duplicate)
        else:
            _move_foreign_keys(relation, keep, duplicate)
    keep.tags.add(*duplicate.tags.all())

    external_id = duplicate.external_id
    if external_id and not keep.external_id:
        duplicate.external_id = None
        duplicate.save(update_fields=["external_id"])
        keep.external_id = external_id
    for name in ("name", "email", "phone", "region", "store_id"):
        if not getattr(keep, name) and getattr(duplicate, name):
            setattr(keep, name, getattr(duplicate, name))
    keep.attributes = {**duplicate.attributes, **keep.attributes}
    # Either record saying "do not contact" wins.
    keep.unsubscribed = keep.unsubscribed or duplicate.unsubscribed
    keep.unsubscribed_at = keep.unsubscribed_at or duplicate.unsubscribed_at
    keep.consent = keep.consent and duplicate.consent
    _validated_save(keep)
    duplicate.merged_into = keep
    duplicate.save(update_fields=["merged_into", "updated_at"])
    logger.info("customer %s merged into %s", duplicate.pk, keep.pk)
    return keep


def _move_foreign_keys(relation, keep: Customer, duplicate: Customer) -> None:
    model = relation.related_model
    name = relation.field.name
    rows = model._base_manager.filter(**{name: duplicate})
    if relation.one_to_one and model._base_manager.filter(**{name: keep}).exists():
        return
    try:
        with transaction.atomic():
            rows.update(**{name: keep})
        return
    except IntegrityError:
        pass
    for pk in rows.values_list("pk", flat=True):
        try:
            with transaction.atomic():
                model._base_manager.filter(pk=pk).update(**{name: keep})
        except IntegrityError:
            logger.info("merge: %s %s stays with customer %s", model.__name__, pk, duplicate.pk)


def _move_many_to_many(relation, keep: Customer, duplicate: Customer) -> None:
    through = relation.through
    column = relation.field.m2m_reverse_field_name()  # the through field pointing to Customer
    other = relation.field.m2m_field_name()
    already = set(through.objects.filter(**{column: keep}).values_list(f"{other}_id", flat=True))
    moving = through.objects.filter(**{column: duplicate})
    moving.exclude(**{f"{other}_id__in": already}).update(**{column: keep})
    moving.delete()
