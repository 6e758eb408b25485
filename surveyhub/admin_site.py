from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext_lazy as _

from surveyhub.security.login_throttle import ThrottledAdminAuthenticationForm


class SurveyHubAdminSite(admin.AdminSite):
    """The branded admin; the manager dashboard hangs off it."""

    site_header = _("SurveyHub administration")
    site_title = _("SurveyHub")
    index_title = _("Overview")
    # Failed log-ins are counted and locked out; the form says so clearly.
    login_form = ThrottledAdminAuthenticationForm

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
