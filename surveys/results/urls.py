"""Staff pages of a survey's results, under staff/surveys/<id>/ (included by surveys.urls)."""

from django.urls import path

from surveys.results import responses, share_views, views

urlpatterns = [
    path("results/", views.results_page, name="results"),
    path("results/shares/", share_views.shares_page, name="results-shares"),
    path(
        "results/shares/<int:share_id>/revoke/",
        share_views.share_revoke_view,
        name="results-share-revoke",
    ),
    path("responses/", responses.response_list, name="responses"),
    path("responses/<int:response_id>/", responses.response_detail, name="response-detail"),
]
