"""What another site's page calls: the script, its config, and "closed without answering"."""

from django.urls import path

from surveys.inpage import views

urlpatterns = [
    path("surveyhub.js", views.script, name="inpage-script"),
    path("config/<str:key>/", views.config, name="inpage-config"),
    path("eligible/<str:key>/", views.eligible, name="inpage-eligible"),
    path("dismiss/<str:key>/", views.dismiss, name="inpage-dismiss"),
]
