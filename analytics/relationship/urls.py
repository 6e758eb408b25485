from django.urls import path

from analytics.relationship import cross_sell_views, segment_views, views

app_name = "relationship"
urlpatterns = [
    path("at-risk/", views.at_risk, name="at-risk"),
    path("at-risk/export.csv", views.at_risk_export, name="at-risk-export"),
    path("at-risk/invite/", views.at_risk_invite, name="at-risk-invite"),
    path("at-risk/invite-chosen/", views.at_risk_invite_chosen, name="at-risk-invite-chosen"),
    path("at-risk/tag/", views.at_risk_tag, name="at-risk-tag"),
    path("at-risk/<int:customer_id>/call/", views.at_risk_call, name="at-risk-call"),
    path("lifecycle/", views.lifecycle, name="lifecycle"),
    path("cross-sell/", cross_sell_views.cross_sell, name="cross-sell"),
    path("segments/", segment_views.segments, name="segments"),
    path(
        "segments/rfm/<str:code>/",
        segment_views.segment_detail,
        {"kind": "rfm"},
        name="segment-rfm",
    ),
    path(
        "segments/<str:kind>/<str:code>/invite/",
        segment_views.segment_invite,
        name="segment-invite",
    ),
    path(
        "segments/<str:kind>/<str:code>/export.csv",
        segment_views.segment_export,
        name="segment-export",
    ),
    path(
        "segments/stage/<str:code>/",
        segment_views.segment_detail,
        {"kind": "stage"},
        name="segment-stage",
    ),
]
