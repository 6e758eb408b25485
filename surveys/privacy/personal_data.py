"""Export and erasure of everything held about one person (PIPL / GDPR), and retention.

`surveys` owns the customer but knows nothing of feedback, cases or purchases, so every app
registers a handler in its AppConfig.ready():

    register_personal_data(PersonalDataHandler(
        key="purchases", order=60, export=purchases_export, erase=purchases_erase))

`export(customer_ids)` returns a JSON-able section; `erase(customer_ids)` anonymises in
place and returns how many records it changed; `retain(cutoff, limit)` anonymises up to
`limit` records created before `cutoff` and returns how many. Each is optional: a handler
without `export` adds no section, one without `erase` keeps its records as they are. The
ids are the person's customer row plus any duplicates merged into it.

Erasure anonymises (PIPL art. 73: the person can no longer be identified, and it cannot be
undone) instead of deleting wherever an aggregate depends on a row. The handlers remove what
names the person or leads back to them: names, emails, phones, external ids, free text, order
IDs, exact order times, their rows in uploaded files and error reports. Then every record kept
for the aggregates (scores, purchase amounts and days, cases, sentiment) moves to a new random
anonymous customer key (surveys.privacy.anonymous_keys), so NPS, RFM and revenue do not move
but nothing links them to the old customer id, which stays behind as an empty tombstone. The
email and phone are kept only as keyed hashes on the suppression list, so the person is not
contacted again.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from surveyhub.api.errors import DomainError
from surveys.models import Customer, PersonalDataAction, PrivacySettings
from surveys.privacy.access_log import personal_data_access_record
from surveys.privacy.anonymous_keys import anonymous_rekey
from surveys.privacy.erased import ERASED_TEXT as ERASED_TEXT  # re-exported for the handlers
from surveys.privacy.erased import admin_log_forget
from surveys.privacy.suppression import suppress_contact

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1


class PersonalDataError(DomainError):
    """An export or erasure that cannot be done (e.g. erased already)."""


@dataclass(frozen=True)
class PersonalDataHandler:
    key: str
    export: Callable[[list[int]], Any] | None = None
    erase: Callable[[list[int]], int] | None = None
    retain: Callable[[datetime, int], int] | None = None
    order: int = 100


def iso(value) -> str | None:
    """A date or time in an export: ISO 8601, or None."""
    return value.isoformat() if value is not None else None


_HANDLERS: dict[str, PersonalDataHandler] = {}


def register_personal_data(handler: PersonalDataHandler) -> None:
    _HANDLERS[handler.key] = handler


def unregister_personal_data(key: str) -> None:
    _HANDLERS.pop(key, None)


def personal_data_handlers() -> list[PersonalDataHandler]:
    return sorted(_HANDLERS.values(), key=lambda handler: (handler.order, handler.key))


def person_root(customer: Customer) -> Customer:
    """The record a merged duplicate was merged into (at any depth): the person's record."""
    seen = {customer.pk}
    while customer.merged_into_id and customer.merged_into_id not in seen:
        seen.add(customer.merged_into_id)
        customer = Customer.objects.get(pk=customer.merged_into_id)
    return customer


def person_customer_ids(customer: Customer) -> list[int]:
    """The person's record and every duplicate merged into it (at any depth)."""
    customer = person_root(customer)
    ids, frontier = [customer.pk], [customer.pk]
    while frontier:
        frontier = list(
            Customer.objects.filter(merged_into__in=frontier)
            .exclude(pk__in=ids)
            .values_list("pk", flat=True)
        )
        ids += frontier
    return ids


def personal_data_export(*, customer: Customer, by=None, request=None) -> dict[str, Any]:
    """Everything held about the person, one section per registered handler; the export
    itself is recorded in the access log (and so appears in the next export)."""
    with transaction.atomic():
        ids = person_customer_ids(customer)
        personal_data_access_record(
            action=PersonalDataAction.EXPORT, resource="customer", object_id=customer.pk,
            customer_id=customer.pk, user=by, request=request,
        )  # fmt: skip
        data: dict[str, Any] = {
            "format_version": FORMAT_VERSION,
            "exported_at": timezone.now().isoformat(),
            "customer_id": customer.pk,
        }
        for handler in personal_data_handlers():
            if handler.export is not None:
                data[handler.key] = handler.export(ids)
    return data


@transaction.atomic
def personal_data_erase(*, customer: Customer, by=None, request=None) -> dict[str, Any]:
    """Erase the person everywhere in one transaction (all or nothing); return what changed."""
    customer = Customer.objects.select_for_update().get(pk=person_root(customer).pk)
    if customer.erased_at is not None:
        raise PersonalDataError(
            _("This customer's personal data was already erased on %(date)s.")
            % {"date": timezone.localtime(customer.erased_at).strftime("%Y-%m-%d %H:%M")}
        )
    ids = person_customer_ids(customer)
    people = list(Customer.objects.select_for_update().filter(pk__in=ids))
    for person in people:
        suppress_contact(email=person.email, phone=person.phone)
    counts = {
        handler.key: handler.erase(ids) if handler.erase is not None else 0
        for handler in personal_data_handlers()
    }
    now = timezone.now()
    moved = anonymous_rekey(ids, root_id=customer.pk, now=now)
    counts["anonymous_key"] = sum(moved.values())
    for person in people:
        person.tags.clear()
        person.external_id = None
        person.name = person.email = person.phone = person.region = person.language = ""
        person.attributes = {}
        person.consent, person.unsubscribed = False, True
        person.unsubscribed_at = person.unsubscribed_at or now
        person.erased_at = now
        person.pseudonym = f"anon-{secrets.token_hex(6)}"
        person.save()
    admin_log_forget(Customer, ids)
    personal_data_access_record(
        action=PersonalDataAction.ERASE, resource="customer", object_id=customer.pk,
        customer_id=customer.pk, count=sum(counts.values()), user=by, request=request,
    )  # fmt: skip
    logger.info("customer %s erased (%s)", customer.pk, counts)
    return {"customer_id": customer.pk, "erased_at": now.isoformat(), "records": counts}


def retention_cutoff(now: datetime | None = None) -> datetime | None:
    """Records created before this are expired; None when the admin keeps them forever."""
    days = PrivacySettings.current().retention_days
    if not days:
        return None
    return (now or timezone.now()) - timedelta(days=days)


def retention_apply(*, now: datetime | None = None, batch_size: int = 500) -> dict[str, int]:
    """Anonymise expired responses and feedback, one committed batch at a time; running it
    again finds nothing left to do."""
    cutoff = retention_cutoff(now)
    totals = {handler.key: 0 for handler in personal_data_handlers() if handler.retain}
    if cutoff is None:
        return totals
    for handler in personal_data_handlers():
        if handler.retain is None:
            continue
        while True:
            with transaction.atomic():
                done = handler.retain(cutoff, batch_size)
            totals[handler.key] += done
            if done < batch_size:
                break
    if any(totals.values()):
        personal_data_access_record(
            action=PersonalDataAction.ANONYMISE, resource="retention",
            object_id=cutoff.date().isoformat(), count=sum(totals.values()),
        )  # fmt: skip
        logger.info("retention before %s anonymised %s", cutoff.isoformat(), totals)
    return totals
