"""The customer 360 page is made of panels that other apps register.

`surveys` owns the page but knows nothing of purchases, feedback or cases: `analytics`,
`feedback`… register a panel in their AppConfig.ready(), e.g.

    register_customer_panel(CustomerPanel(
        key="purchases", title=_("Purchases"), order=20, render=purchases_panel,
        permission="analytics.view_purchase"))

where `purchases_panel(customer, request)` returns `PanelContent(template, context)`, or None
to hide the panel for that customer. A value provider (RFM, CLV, P(alive)) registers the same
way with `register_customer_value`; the API's `customers/{id}/` shows its result as `value`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class PanelContent:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CustomerPanel:
    key: str
    title: Any  # a lazy translatable string
    render: Callable[[Any, HttpRequest], PanelContent | None]
    order: int = 100
    permission: str | None = None  # who may see it, e.g. "analytics.view_purchase"


_PANELS: dict[str, CustomerPanel] = {}
_VALUE: list[Callable[[Any], dict | None]] = []


def register_customer_panel(panel: CustomerPanel) -> None:
    _PANELS[panel.key] = panel


def unregister_customer_panel(key: str) -> None:
    _PANELS.pop(key, None)


def customer_panels(user=None) -> list[CustomerPanel]:
    """The registered panels in page order, limited to those `user` may see."""
    panels = sorted(_PANELS.values(), key=lambda panel: (panel.order, panel.key))
    if user is None:
        return panels
    return [panel for panel in panels if not panel.permission or user.has_perm(panel.permission)]


def register_customer_value(provider: Callable[[Any], dict | None]) -> None:
    """`provider(customer) -> dict | None`: the customer's value (RFM, CLV, P(alive)…)."""
    if provider not in _VALUE:
        _VALUE.append(provider)


def customer_value(customer) -> dict | None:
    """The merged answers of the value providers, or None when none knows the customer."""
    merged: dict = {}
    for provider in _VALUE:
        merged.update(provider(customer) or {})
    return merged or None
