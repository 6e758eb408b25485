from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class SurveyHubAdminSite(admin.AdminSite):
    """The branded admin; the manager dashboard hangs off it."""

    site_header = _("SurveyHub administration")
    site_title = _("SurveyHub")
    index_title = _("Overview")
