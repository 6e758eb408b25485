from django.urls import include, path
from rest_framework.routers import DefaultRouter

from surveys.api.views import SurveyViewSet

router = DefaultRouter()
router.register("surveys", SurveyViewSet, basename="survey")

urlpatterns = [
    path("", include("surveys.api.distribution_urls")),
    *router.urls,
]
