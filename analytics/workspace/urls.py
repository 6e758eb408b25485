from django.urls import path

from analytics.workspace import views

app_name = "workspace"
urlpatterns = [
    path("", views.workspace_latest, name="latest"),
    path("<str:period>/", views.workspace_period, name="period"),
]
