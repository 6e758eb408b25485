"""The survey-answers panel of the customer 360 page (surveys' own panel)."""

from django.utils.translation import gettext_lazy as _

from surveys.customers.panels import CustomerPanel, PanelContent, register_customer_panel
from surveys.models import Response, ResponseStatus

PANEL_RESPONSES = 10


def answers_panel(customer, request) -> PanelContent | None:
    """The customer's latest completed responses with their scores and answers."""
    responses = list(
        Response.objects.filter(customer=customer, status=ResponseStatus.COMPLETED)
        .select_related("survey", "consent_text")
        .prefetch_related("answers__question")
        .order_by("-completed_at")[:PANEL_RESPONSES]
    )
    if not responses:
        return None
    return PanelContent(template="surveys/panels/answers.html", context={"responses": responses})


def register_answers_panel() -> None:
    register_customer_panel(
        CustomerPanel(
            key="answers",
            title=_("Survey answers"),
            render=answers_panel,
            order=25,
            permission="surveys.view_response",
        )
    )
