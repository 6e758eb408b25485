"""What `analytics` holds about a person — purchases and computed value — for the export
and erasure of surveys.privacy.personal_data.

Erasure keeps every purchase as it is: amount, date, category and channel feed revenue, RFM
and CLV, and the row stays on the customer row that erasure turns into an anonymous
placeholder, so no total moves. The order ID stays too: it is what makes a re-import of the
shop's orders update instead of adding the revenue a second time, and on its own it names
nobody outside the shop's own system.
"""

from __future__ import annotations

from analytics.models import CustomerValue, ImportJob, Purchase
from surveys.models import Customer
from surveys.privacy.personal_data import ERASED_TEXT, PersonalDataHandler, register_personal_data


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


def import_errors_erase(ids: list[int]) -> int:
    """Rejected rows shown on import jobs quote the cell: the person's cells are masked.
    (The uploaded files and downloadable error reports are not rewritten; see the README.)"""
    identifiers = set()
    for customer in Customer.objects.filter(pk__in=ids):
        identifiers |= {customer.name, customer.email, customer.phone, customer.external_id}
    identifiers -= {None, ""}
    changed = 0
    for job in ImportJob.objects.exclude(errors=[]).only("pk", "errors").iterator():
        errors = [
            {**error, "value": ERASED_TEXT}
            if isinstance(error, dict) and str(error.get("value", "")).strip() in identifiers
            else error
            for error in job.errors
        ]
        if errors != job.errors:
            ImportJob.objects.filter(pk=job.pk).update(errors=errors)
            changed += 1
    return changed


def register_personal_data_handlers() -> None:
    """Called from AnalyticsConfig.ready()."""
    register_personal_data(PersonalDataHandler(key="purchases", order=60, export=purchases_export))
    register_personal_data(PersonalDataHandler(key="value", order=65, export=value_export))
    register_personal_data(
        PersonalDataHandler(key="import_errors", order=70, erase=import_errors_erase)
    )
