from django.urls import path

from analytics.alerts import views

app_name = "alerts"
urlpatterns = [
    path("", views.alerts_index, name="index"),
    path("history/", views.alerts_history, name="history"),
    path("rules/new/", views.object_edit, {"what": "rule"}, name="rule-new"),
    path("rules/<int:pk>/", views.object_edit, {"what": "rule"}, name="rule-edit"),
    path("rules/<int:pk>/mute/", views.rule_mute_view, name="rule-mute"),
    path("robots/new/", views.object_edit, {"what": "robot"}, name="robot-new"),
    path("robots/<int:pk>/", views.object_edit, {"what": "robot"}, name="robot-edit"),
    path("robots/<int:pk>/test/", views.robot_test_view, name="robot-test"),
    path("<int:pk>/close/", views.alert_close_view, name="close"),
    path("deliveries/<int:pk>/redrive/", views.delivery_redrive_view, name="redrive"),
]
