from django.urls import path

from analytics.referrals.views import referral_visit

urlpatterns = [
    path("<str:code>/", referral_visit, name="referral-visit"),
]
