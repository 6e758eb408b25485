from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from analytics.dashboard.home import staff_home
from surveyhub import views
from surveyhub.api import token_views
from surveyhub.security.login_throttle import ThrottledLoginView
from surveys.api.urls import public_urlpatterns

api_v1 = [
    path("", include("surveys.api.urls")),
    path("", include("analytics.api.urls")),
    path("", include("feedback.api.urls")),
    path("", include("feedback.api.case_urls")),
]

urlpatterns = [
    *public_urlpatterns,
    # Someone who types only the host lands on the staff home (which sends others to log in).
    re_path(r"^$", RedirectView.as_view(pattern_name="staff-home"), name="root"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/login/", ThrottledLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("staff/", staff_home, name="staff-home"),
    path("staff/api-token/", token_views.my_api_token, name="my-api-token"),
    path("staff/customers/", include("analytics.relationship.urls")),
    path("staff/alerts/", include("analytics.alerts.urls")),
    path("staff/actions/", include("analytics.actions.urls")),
    path("staff/evaluations/", include("analytics.workspace.urls")),
    path("staff/", include("surveys.urls")),
    path("staff/analytics/", include("analytics.urls")),
    path("staff/feedback/", include("feedback.urls")),
    path("staff/cases/", include("feedback.cases.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: no inline script, CSP-friendly.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("shared/results/", include("surveys.results.public_urls")),
    path("embed/v1/", include("surveys.inpage.urls")),  # in-page surveys on other sites
    path("r/ref/", include("analytics.referrals.urls")),  # a promoter's referral link
    path("", include("surveys.responding.urls")),
]

# JSON in the one error shape, not the HTML pages, for API clients (surveyhub/api/errors.py).
handler404 = "surveyhub.api.errors.page_not_found"
handler400 = "surveyhub.api.errors.bad_request"
handler403 = "surveyhub.api.errors.permission_denied"
handler500 = "surveyhub.api.errors.server_error"
