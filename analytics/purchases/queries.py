"""Read models for analytics pages and the API."""

from django.db.models import Count, Max, Min, QuerySet, Sum

from analytics.models import ImportJob, Purchase


def import_jobs() -> QuerySet[ImportJob]:
    return ImportJob.objects.all()


def customer_purchases(customer_id: int, *, limit: int = 20) -> list[Purchase]:
    """A customer's latest purchases, newest first."""
    purchases = Purchase.objects.filter(customer_id=customer_id).select_related("store")
    return list(purchases.order_by("-ordered_at")[:limit])


def customer_purchase_totals(customer_id: int) -> dict:
    """Orders, spend (refunds netted), refunds, first and last order date of one customer."""
    return Purchase.objects.filter(customer_id=customer_id).aggregate(
        orders=Count("id"),
        spend=Sum("amount"),
        first=Min("ordered_at"),
        last=Max("ordered_at"),
    )


def purchases_for_api(
    *, start=None, end=None, category: str = "", customer_external_id: str = ""
) -> QuerySet[Purchase]:
    """Purchases for the API, newest first, with the customer loaded; dates are inclusive."""
    purchases = Purchase.objects.select_related("customer", "store").order_by("-ordered_at", "-id")
    if start:
        purchases = purchases.filter(ordered_at__date__gte=start)
    if end:
        purchases = purchases.filter(ordered_at__date__lte=end)
    if category:
        purchases = purchases.filter(category=category)
    if customer_external_id:
        purchases = purchases.filter(customer__external_id=customer_external_id)
    return purchases
