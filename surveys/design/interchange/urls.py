"""Included under the staff survey URLs (surveys/urls.py): /staff/surveys/import/ and
/staff/surveys/<pk>/export/."""

from django.urls import path

from surveys.design.interchange import views

urlpatterns = [
    path("import/", views.survey_import_page, name="survey-import"),
    path("<int:pk>/export/", views.survey_export, name="survey-export"),
]
