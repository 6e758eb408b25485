from django.urls import path

from surveys.api.results import (
    ExportCsvView,
    ExportSavView,
    ExportXlsxView,
    SurveyResultsView,
)
from surveys.api.results_other import OtherTextsView

urlpatterns = [
    path("surveys/<int:pk>/results/", SurveyResultsView.as_view(), name="survey-results"),
    path(
        "surveys/<int:pk>/results/other-texts/",
        OtherTextsView.as_view(),
        name="survey-results-other-texts",
    ),
    path(
        "surveys/<int:pk>/responses/export.csv",
        ExportCsvView.as_view(),
        name="survey-responses-export-csv",
    ),
    path(
        "surveys/<int:pk>/responses/export.xlsx",
        ExportXlsxView.as_view(),
        name="survey-responses-export-xlsx",
    ),
    path(
        "surveys/<int:pk>/responses/export.sav",
        ExportSavView.as_view(),
        name="survey-responses-export-sav",
    ),
]
