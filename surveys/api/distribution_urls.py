from django.urls import path
from rest_framework.routers import SimpleRouter

from surveys.api.distributions import DistributionViewSet, SurveyLinksView

router = SimpleRouter()
router.register("distributions", DistributionViewSet, basename="distribution")

urlpatterns = [
    path("surveys/<int:pk>/links/", SurveyLinksView.as_view(), name="survey-links"),
    *router.urls,
]
