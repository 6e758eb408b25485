"""Public pages for respondents: no login, light, mobile first."""

from django.urls import include, path

urlpatterns = [
    path("", include("surveys.distribution_public_urls")),
]
