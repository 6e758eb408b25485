from django.urls import include, path
from rest_framework.routers import DefaultRouter

from surveyhub.api.root import ApiRootView
from surveys.api.customers import CustomerViewSet
from surveys.api.uploads import ImageUploadView, PublicFileUploadView
from surveys.api.views import PublicSubmitView, ResponseViewSet, SurveyViewSet
from surveys.inpage.submit import open_to_in_page_sites

router = DefaultRouter()
router.APIRootView = ApiRootView
router.register("surveys", SurveyViewSet, basename="survey")
router.register("responses", ResponseViewSet, basename="response")
router.register("customers", CustomerViewSet, basename="customer")

# The public submit is the product's busiest URL: resolve it before anything else.
public_urlpatterns = [
    path(
        "api/v1/public/surveys/<slug:slug>/responses/",
        open_to_in_page_sites(PublicSubmitView.as_view()),
        name="public-submit",
    ),
    path(
        "api/v1/public/surveys/<slug:slug>/files/",
        PublicFileUploadView.as_view(),
        name="public-file-upload",
    ),
]

urlpatterns = [
    path("", include("surveys.api.distribution_urls")),
    path("", include("surveys.api.results_urls")),
    path("", include("surveys.design.interchange.api_urls")),  # before the router's surveys/<pk>/
    path("images/", ImageUploadView.as_view(), name="image-upload"),
    *router.urls,
]
