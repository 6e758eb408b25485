from rest_framework.routers import DefaultRouter

from feedback.api.views import FeedbackItemViewSet, TopicViewSet
from surveyhub.api.root import ApiRootView

router = DefaultRouter()
router.APIRootView = ApiRootView
router.register("feedback", FeedbackItemViewSet, basename="feedback")
router.register("topics", TopicViewSet, basename="topic")

urlpatterns = router.urls
