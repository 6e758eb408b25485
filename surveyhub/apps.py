from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SurveyHubAdminConfig(AdminConfig):
    default_site = "surveyhub.admin_site.SurveyHubAdminSite"


class SurveyHubConfig(AppConfig):
    name = "surveyhub"
    verbose_name = _("SurveyHub")

    def ready(self) -> None:
        from surveyhub.security import roles

        # Roles and their permissions follow the code: re-synced after every migrate.
        post_migrate.connect(roles.sync_roles_after_migrate, sender=self)
