from rest_framework.routers import DefaultRouter

from feedback.api.cases import CaseViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("cases", CaseViewSet, basename="case")

urlpatterns = router.urls
