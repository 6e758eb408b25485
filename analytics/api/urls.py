from django.urls import path
from rest_framework.routers import DefaultRouter

from analytics.api import evaluations
from analytics.api.imports import ImportJobViewSet
from analytics.api.purchases import PurchaseViewSet

router = DefaultRouter()
router.register("imports", ImportJobViewSet, basename="import")
router.register("purchases", PurchaseViewSet, basename="purchase")
router.register("evaluations", evaluations.EvaluationViewSet, basename="evaluation")
router.register("reports", evaluations.ReportViewSet, basename="report")

urlpatterns = [
    *router.urls,
    path("metrics/summary/", evaluations.MetricSummaryView.as_view(), name="metrics-summary"),
    path("metrics/trend/", evaluations.MetricTrendView.as_view(), name="metrics-trend"),
    path("analytics/rfm/", evaluations.RfmView.as_view(), name="analytics-rfm"),
    path("analytics/clv/", evaluations.ClvView.as_view(), name="analytics-clv"),
]
