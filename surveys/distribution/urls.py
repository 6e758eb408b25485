"""Staff pages of distributions (wired at /staff/distributions/, namespace "surveys")."""

from django.urls import path

from surveys.distribution import views as distribution_views

urlpatterns = [
    path(
        "survey/<int:survey_id>/",
        distribution_views.distribution_list,
        name="distribution-list",
    ),
    path(
        "survey/<int:survey_id>/audience/",
        distribution_views.distribution_audience_preview,
        name="distribution-audience",
    ),
    path("<int:pk>/", distribution_views.distribution_detail, name="distribution-detail"),
    path(
        "<int:pk>/cancel/", distribution_views.distribution_cancel_view, name="distribution-cancel"
    ),
    path("<int:pk>/send/", distribution_views.distribution_send_view, name="distribution-send"),
    path("links/<int:survey_id>/", distribution_views.survey_links, name="distribution-links"),
]
