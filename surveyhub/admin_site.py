from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext_lazy as _

from surveyhub.security.login_throttle import ThrottledAdminAuthenticationForm


class SurveyHubAdminSite(admin.AdminSite):
    """The branded admin; the manager dashboard hangs off it."""

    site_header = _("SurveyHub administration")
    site_title = _("SurveyHub")
    index_title = _("Overview")
    # The product's header (templates/staff/header.html) is the navigation; no second one.
    enable_nav_sidebar = False
    # Failed log-ins are counted and locked out; the form says so clearly.
    login_form = ThrottledAdminAuthenticationForm

    def index(self, request, extra_context=None):
        """Managers (whoever may view evaluations) open on their tasks — this quarter's index
        and dimensions, open alerts, actions due, overdue cases; the table list is one click
        away (`?tables=1`), as is the dashboard."""
        if request.GET.get("tables") or not request.user.has_perm(
            "analytics.view_evaluationsnapshot"
        ):
            return super().index(request, extra_context)
        from django.template.response import TemplateResponse

        from analytics.actions.blocks import manager_overview

        context = {
            **self.each_context(request),
            "title": _("Today's tasks"),
            **manager_overview(request.user),
            **(extra_context or {}),
        }
        request.current_app = self.name
        return TemplateResponse(request, "admin/manager_home.html", context)

    def get_urls(self):
        from analytics.dashboard.views import dashboard_export, dashboard_view

        return [
            path("dashboard/", self.admin_view(dashboard_view), name="dashboard"),
            path(
                "dashboard/export.<str:fmt>",
                self.admin_view(dashboard_export),
                name="dashboard-export",
            ),
            *super().get_urls(),
        ]
