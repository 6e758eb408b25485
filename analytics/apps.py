from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        from analytics.purchases.panels import register_panels

        # The customer 360 page in `surveys` shows analytics' panels through its registry.
        register_panels()

        # Evaluations: audience filters, the value panel, and their admin pages.
        from analytics.actions import admin as action_admin  # noqa: F401
        from analytics.alerts import admin as alert_admin  # noqa: F401
        from analytics.evaluations import admin as evaluation_admin  # noqa: F401
        from analytics.hooks import register_hooks

        register_hooks()
        from analytics.personal_data import register_personal_data_handlers

        register_personal_data_handlers()  # export and erasure of one person (PIPL / GDPR)
