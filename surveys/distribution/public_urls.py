"""Public distribution pages (wired at the site root): unsubscribe, QR codes."""

from django.urls import path

from surveys.distribution import views as distribution_views

urlpatterns = [
    path("u/<str:token>/", distribution_views.unsubscribe, name="unsubscribe"),
    path(
        "s/<slug:slug>/qr.svg", distribution_views.survey_qr, {"kind": "svg"}, name="survey-qr-svg"
    ),
    path(
        "s/<slug:slug>/qr.png", distribution_views.survey_qr, {"kind": "png"}, name="survey-qr-png"
    ),
]
