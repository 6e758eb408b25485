from django.urls import path
from rest_framework.routers import DefaultRouter

from analytics.actions.api import ActionViewSet
from analytics.alerts.api import AlertRuleViewSet, AlertViewSet
from analytics.alerts.robot_api import AlertRobotViewSet
from analytics.api import cross_sell, dashboard, evaluations, relationship
from analytics.api.imports import ImportJobViewSet
from analytics.api.purchases import PurchaseViewSet
from analytics.referrals import api as referrals
from surveyhub.api.root import ApiRootView

router = DefaultRouter()
router.APIRootView = ApiRootView
router.register("imports", ImportJobViewSet, basename="import")
router.register("purchases", PurchaseViewSet, basename="purchase")
router.register("evaluations", evaluations.EvaluationViewSet, basename="evaluation")
router.register("reports", evaluations.ReportViewSet, basename="report")
router.register("alert-rules", AlertRuleViewSet, basename="alert-rule")
router.register("alerts", AlertViewSet, basename="alert")
router.register("alert-robots", AlertRobotViewSet, basename="alert-robot")
router.register("actions", ActionViewSet, basename="action")

urlpatterns = [
    *router.urls,
    path("metrics/summary/", evaluations.MetricSummaryView.as_view(), name="metrics-summary"),
    path("metrics/trend/", evaluations.MetricTrendView.as_view(), name="metrics-trend"),
    path("analytics/rfm/", evaluations.RfmView.as_view(), name="analytics-rfm"),
    path("analytics/clv/", evaluations.ClvView.as_view(), name="analytics-clv"),
    path("analytics/churn/", relationship.ChurnView.as_view(), name="analytics-churn"),
    path("analytics/lifecycle/", relationship.LifecycleView.as_view(), name="analytics-lifecycle"),
    path("analytics/segments/", relationship.SegmentsView.as_view(), name="analytics-segments"),
    path("analytics/cross-sell/", cross_sell.CrossSellView.as_view(), name="analytics-cross-sell"),
    path("analytics/referrals/", referrals.ReferralsView.as_view(), name="analytics-referrals"),
    path(
        "analytics/demographics/",
        referrals.DemographicsView.as_view(),
        name="analytics-demographics",
    ),
    path("dashboard/tiles/", dashboard.TilesView.as_view(), name="dashboard-tiles"),
    path(
        "dashboard/nps-distribution/",
        dashboard.NpsDistributionView.as_view(),
        name="dashboard-nps-distribution",
    ),
    path(
        "dashboard/sentiment-trend/",
        dashboard.SentimentTrendView.as_view(),
        name="dashboard-sentiment-trend",
    ),
    path("dashboard/topics/", dashboard.TopicsView.as_view(), name="dashboard-topics"),
    path("dashboard/matrix/", dashboard.MatrixView.as_view(), name="dashboard-matrix"),
    path("dashboard/service/", dashboard.ServiceView.as_view(), name="dashboard-service"),
]
