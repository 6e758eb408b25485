"""Staff pages of the surveys app (respondent pages are in respondent_urls.py)."""

from django.urls import include, path

from surveys.design import views as builder_views
from surveys.responding import outbox_views

app_name = "surveys"
urlpatterns = [
    path("surveys/", builder_views.survey_list, name="survey-list"),
    path("surveys/<int:pk>/", builder_views.builder, name="builder"),
    path("surveys/<int:pk>/questions/", builder_views.question_add, name="question-add"),
    path(
        "surveys/<int:pk>/questions/<slug:key>/",
        builder_views.question_edit,
        name="question-edit",
    ),
    path(
        "surveys/<int:pk>/questions/<slug:key>/action/",
        builder_views.question_action,
        name="question-action",
    ),
    path(
        "surveys/<int:pk>/publish/",
        builder_views.survey_state_change,
        {"action": "publish"},
        name="survey-publish",
    ),
    path(
        "surveys/<int:pk>/close/",
        builder_views.survey_state_change,
        {"action": "close"},
        name="survey-close",
    ),
    path("surveys/", include("surveys.design.preview.urls")),  # the builder's phone preview
    path("surveys/", include("surveys.design.interchange.urls")),  # survey files in and out
    path("outbox/", outbox_views.outbox_failed, name="outbox-failed"),
    path("outbox/redrive/", outbox_views.outbox_redrive, name="outbox-redrive"),
    path("surveys/<int:pk>/", include("surveys.results.urls")),
    path("surveys/<int:pk>/", include("surveys.design.urls")),
    path("customers/", include("surveys.customers.urls")),
    path("distributions/", include("surveys.distribution.urls")),
]
