"""Staff pages of the surveys app (respondent pages are in respondent_urls.py)."""

from django.urls import include, path

app_name = "surveys"
urlpatterns = [
    path("customers/", include("surveys.customer_urls")),
    path("distributions/", include("surveys.distribution_urls")),
]
