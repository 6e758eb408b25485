"""Public WeChat addresses (wired at the site root through surveys.responding.urls)."""

from django.urls import path

from surveys.channels.wechat import views

urlpatterns = [path("wx/oauth/", views.oauth_callback, name="wechat-oauth")]
