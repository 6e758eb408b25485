"""The feedback panel of the customer 360 page (registered in FeedbackConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from feedback.analysis.queries import FeedbackFilters, feedback_items
from feedback.models.cases import Case
from surveys.customers.panels import CustomerPanel, PanelContent, register_customer_panel

PANEL_ITEMS = 10


def feedback_panel(customer, request) -> PanelContent | None:
    """The customer's latest comments (all channels) with their sentiment; hidden if none."""
    items = list(feedback_items(FeedbackFilters()).filter(customer=customer)[:PANEL_ITEMS])
    if not items:
        return None
    return PanelContent(template="feedback/panels/feedback.html", context={"items": items})


def cases_panel(customer, request) -> PanelContent | None:
    """The customer's triage cases, open ones first; hidden if none."""
    cases = list(
        Case.objects.filter(customer=customer)
        .select_related("assignee")
        .order_by("resolved_at", "-created_at")[:PANEL_ITEMS]
    )
    if not cases:
        return None
    return PanelContent(template="feedback/panels/cases.html", context={"cases": cases})


def register_panels() -> None:
    register_customer_panel(
        CustomerPanel(
            key="feedback",
            title=_("Feedback"),
            render=feedback_panel,
            order=30,
            permission="feedback.view_feedbackitem",
        )
    )
    register_customer_panel(
        CustomerPanel(
            key="cases",
            title=_("Cases"),
            render=cases_panel,
            order=35,
            permission="feedback.view_case",
        )
    )
