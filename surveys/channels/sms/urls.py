"""Public SMS addresses (wired at the site root through surveys.responding.urls)."""

from django.urls import path

from surveys.channels.sms import views

urlpatterns = [
    path("r/<str:code>/", views.short_link, name="sms-short-link"),
    path("r/<str:code>/u/", views.short_link, {"unsubscribe": True}, name="sms-short-unsubscribe"),
    path(
        "sms/receipts/<str:provider>/<str:token>/",
        views.delivery_receipts,
        name="sms-delivery-receipts",
    ),
    path("sms/replies/<str:provider>/<str:token>/", views.inbound_replies, name="sms-replies"),
]
