"""The product's one navigation, shared by the staff pages and the admin (`{% load main_nav %}`,
`{% main_nav %}` in templates/staff/header.html): each place is shown only to whom its page
lets in (the same permission its view requires), and the place the page belongs to is marked.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

register = template.Library()


@dataclass(frozen=True)
class Place:
    key: str
    label: object  # a lazy translation
    url_name: str
    # What the place's view requires: a model permission, "staff" (Django's admin) or None
    # (any signed-in user).
    permission: str | None
    # Which paths belong to the place (the longest match marks the current place).
    prefixes: tuple[str, ...]


PLACES = (
    Place("home", _("Home"), "staff-home", None, ("/staff/",)),
    Place("evaluations", _("Evaluation"), "workspace:latest", "analytics.view_evaluationsnapshot",
          ("/staff/evaluations/", "/staff/alerts/", "/staff/actions/")),
    Place("surveys", _("Surveys"), "surveys:survey-list", "surveys.view_survey",
          ("/staff/surveys/", "/staff/distributions/", "/staff/outbox/")),
    Place("feedback", _("Feedback"), "feedback:explorer", "feedback.view_feedbackitem",
          ("/staff/feedback/",)),
    Place("cases", _("Cases"), "cases:queue", "feedback.view_case", ("/staff/cases/",)),
    Place("customers", _("Customers"), "surveys:customers", "surveys.view_customer",
          ("/staff/customers/",)),
    Place("relationships", _("Relationships"), "relationship:segments",
          "analytics.view_customervalue",
          ("/staff/customers/segments/", "/staff/customers/at-risk/",
           "/staff/customers/lifecycle/", "/staff/customers/cross-sell/")),
    Place("imports", _("Imports"), "analytics:imports", "analytics.view_importjob",
          ("/staff/analytics/",)),
    Place("dashboard", _("Dashboard"), "admin:dashboard", "analytics.view_evaluationsnapshot",
          ("/admin/dashboard/",)),
    Place("admin", _("Administration"), "admin:index", "staff", ("/admin/",)),
)  # fmt: skip


def may_open(user, place: Place) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if place.permission is None:
        return True
    if place.permission == "staff":
        return user.is_staff
    return user.has_perm(place.permission)


def places_for(user) -> list[Place]:
    """The places `user` may open, in the navigation's order."""
    return [place for place in PLACES if may_open(user, place)]


def current_place(path: str, places: list[Place]) -> str | None:
    """The key of the place whose longest prefix starts `path` (None when none does)."""
    matches = [
        (len(prefix), place.key)
        for place in places
        for prefix in place.prefixes
        if path.startswith(prefix)
    ]
    return max(matches)[1] if matches else None


@register.inclusion_tag("staff/nav.html", takes_context=True)
def main_nav(context):
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    places = places_for(user) if user is not None else []
    current = current_place(request.path if request else "", places)
    items = [
        {"key": p.key, "label": p.label, "url": reverse(p.url_name), "current": p.key == current}
        for p in places
    ]
    return {"items": items}
