"""The public page a results share link opens (included at shared/results/)."""

from django.urls import path

from surveys.results.share_views import shared_results

urlpatterns = [path("<str:token>/", shared_results, name="results-shared")]
