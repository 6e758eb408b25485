"""The product's URLs plus two views that fail, to see the 500 answers (test_server_errors)."""

from django.urls import path

from surveyhub.urls import handler400, handler404, handler500, urlpatterns  # noqa: F401


def boom(request):
    raise RuntimeError("kaboom: secret internals")


urlpatterns = [path("api/v1/boom/", boom), path("boom/", boom), *urlpatterns]
