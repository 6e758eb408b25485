from rest_framework.routers import DefaultRouter

from feedback.api.views import FeedbackItemViewSet, TopicViewSet

router = DefaultRouter()
router.register("feedback", FeedbackItemViewSet, basename="feedback")
router.register("topics", TopicViewSet, basename="topic")

urlpatterns = router.urls
