from django.urls import path

from analytics.workspace import views

app_name = "workspace"
urlpatterns = [
    path("", views.workspace_latest, name="latest"),
    path("reports/<int:pk>/download/", views.report_download, name="report-download"),
    path("<str:period>/", views.workspace_period, name="period"),
    path("<str:period>/reports/", views.report_create, name="report-create"),
    path("<str:period>/indicators/<str:code>/", views.workspace_indicator, name="indicator"),
]
