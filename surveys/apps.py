from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from surveys.customers.answer_panel import register_answers_panel
        from surveys.distribution.audience import register_builtin_filters

        register_builtin_filters()
        register_answers_panel()  # the customer 360 page shows the customer's answers
        from surveys.privacy.surveys_data import register_personal_data_handlers

        register_personal_data_handlers()  # export and erasure of one person (PIPL / GDPR)
        from surveyhub.health import HEALTH_FIGURES
        from surveys.responding.outbox import responses_announce_failed_count

        # Responses whose listeners kept failing: /healthz shows them until an Admin re-drives.
        HEALTH_FIGURES["responses_failed_to_announce"] = responses_announce_failed_count
