from django.urls import include, path
from rest_framework.routers import DefaultRouter

from surveyhub.api.root import ApiRootView
from surveys.api.customers import CustomerViewSet
from surveys.api.views import PublicSubmitView, ResponseViewSet, SurveyViewSet

router = DefaultRouter()
router.APIRootView = ApiRootView
router.register("surveys", SurveyViewSet, basename="survey")
router.register("responses", ResponseViewSet, basename="response")
router.register("customers", CustomerViewSet, basename="customer")

# The public submit is the product's busiest URL: resolve it before anything else.
public_urlpatterns = [
    path(
        "api/v1/public/surveys/<slug:slug>/responses/",
        PublicSubmitView.as_view(),
        name="public-submit",
    ),
]

urlpatterns = [
    path("", include("surveys.api.distribution_urls")),
    path("", include("surveys.api.results_urls")),
    *router.urls,
]
