"""Read models for the customer directory page and the `customers/` API."""

from django.db.models import Q, QuerySet

from surveys.customers.attributes import with_attribute
from surveys.models import Customer, CustomerTag


def customers_directory(
    *,
    search: str = "",
    region: str = "",
    tag: str = "",
    language: str = "",
    unsubscribed: bool | None = None,
    include_merged: bool = False,
    attribute: str = "",
    attribute_value: str = "",
) -> QuerySet[Customer]:
    """Customers matching a search (name, external ID, email, phone) and filters, tags loaded."""
    customers = Customer.objects.prefetch_related("tags").order_by("-id")
    if not include_merged:
        customers = customers.filter(merged_into__isnull=True)
    search = search.strip()
    if search:
        digits = "".join(ch for ch in search if ch.isdigit())
        match = (
            Q(name__icontains=search)
            | Q(external_id__iexact=search)
            | Q(email__icontains=search.lower())
        )
        if len(digits) >= 4:
            match |= Q(phone__contains=digits)
        customers = customers.filter(match)
    if region:
        customers = customers.filter(region=region)
    if tag:
        customers = customers.filter(tags__name=tag)
    if language:
        customers = customers.filter(language=language)
    if unsubscribed is not None:
        customers = customers.filter(unsubscribed=unsubscribed)
    if attribute:
        customers = with_attribute(customers, attribute, attribute_value)
    return customers


def customer_regions() -> list[str]:
    return list(
        Customer.objects.exclude(region="")
        .order_by("region")
        .values_list("region", flat=True)
        .distinct()[:200]
    )


def customer_tag_names() -> list[str]:
    return list(CustomerTag.objects.order_by("name").values_list("name", flat=True)[:200])


def customer_for_page(pk: int) -> Customer:
    return (
        Customer.objects.select_related("merged_into")
        .prefetch_related("tags", "merged_customers")
        .get(pk=pk)
    )
