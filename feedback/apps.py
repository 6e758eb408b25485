from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Feedback")

    def ready(self) -> None:
        from feedback.receivers import create_feedback_items, create_feedback_items_for_chunk
        from surveys.signals import response_submitted, responses_submitted

        response_submitted.connect(create_feedback_items, dispatch_uid="feedback.create_items")
        responses_submitted.connect(
            create_feedback_items_for_chunk, dispatch_uid="feedback.create_items_for_chunk"
        )
        from feedback.analysis.panels import register_panels

        register_panels()  # the customer 360 page shows the customer's feedback
        from feedback.cases import admin as case_admin  # noqa: F401  (the case admin pages)
        from feedback.cases import receivers as case_receivers  # noqa: F401  (@receiver)
        from feedback.personal_data import register_personal_data_handlers

        register_personal_data_handlers()  # export and erasure of one person (PIPL / GDPR)
        from feedback.analysis.results_annotations import register_results_annotations

        register_results_annotations()  # sentiment, topics and cases on survey results pages
