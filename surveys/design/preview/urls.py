"""Included under the staff survey URLs (surveys/urls.py): /staff/surveys/<pk>/preview/…"""

from django.urls import path

from surveys.design.preview import views

urlpatterns = [
    path("<int:pk>/preview/", views.preview_run, name="survey-preview"),
    path("<int:pk>/preview/phone/", views.preview_phone, name="survey-preview-phone"),
]
