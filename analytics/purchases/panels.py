"""The panels analytics adds to the customer 360 page (registered in AnalyticsConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from analytics.purchases.queries import customer_purchase_totals, customer_purchases
from surveys.customers.panels import CustomerPanel, PanelContent, register_customer_panel


def purchases_panel(customer, request) -> PanelContent:
    """The customer's latest purchases with totals (refunds netted)."""
    purchases = customer_purchases(customer.pk)
    return PanelContent(
        template="analytics/panels/purchases.html",
        context={
            "purchases": purchases,
            "totals": customer_purchase_totals(customer.pk),
            # The store column only when an order has one (a narrow phone has little room).
            "with_store": any(purchase.store_id for purchase in purchases),
        },
    )


def register_panels() -> None:
    register_customer_panel(
        CustomerPanel(
            key="purchases",
            title=_("Purchases"),
            render=purchases_panel,
            order=20,
            permission="analytics.view_purchase",
        )
    )
