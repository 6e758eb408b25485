"""Public pages for respondents: no login, light, mobile first."""

from django.urls import include, path

from surveys.responding import file_views, region_views
from surveys.responding import views as respondent_views

urlpatterns = [
    path("s/<slug:slug>/", respondent_views.answer_by_link, name="respond-link"),
    path("i/<str:token>/", respondent_views.answer_by_invitation, name="respond-invitation"),
    path("privacy/", respondent_views.privacy, name="privacy"),
    path("favicon.ico", respondent_views.favicon, name="favicon"),
    path("brand/<str:digest>/", respondent_views.brand_image, name="brand-image"),
    path("files/<int:response_id>/<str:token>/", file_views.response_file, name="response-file"),
    path("regions/", region_views.region_children, name="region-provinces"),
    path("regions/<str:code>/", region_views.region_children, name="region-children"),
    path("", include("surveys.distribution.public_urls")),
    path("", include("surveys.channels.sms.urls")),
    path("", include("surveys.channels.wechat.urls")),
]
