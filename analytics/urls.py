from django.urls import path

from analytics.imports import views

app_name = "analytics"
urlpatterns = [
    path("imports/", views.import_upload, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
    path("imports/<int:pk>/progress.json", views.import_progress, name="import-progress"),
    path("imports/<int:pk>/errors/", views.import_error_report, name="import-errors"),
]
