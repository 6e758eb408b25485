"""Included by surveys/api/urls.py before the survey router (whose detail route would take
`surveys/import/` for a survey called "import")."""

from django.urls import path

from surveys.design.interchange.api import SurveyExportView, SurveyImportView

urlpatterns = [
    path("surveys/import/", SurveyImportView.as_view(), name="api-survey-import"),
    path("surveys/<int:pk>/export/", SurveyExportView.as_view(), name="api-survey-export"),
]
