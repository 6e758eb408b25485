"""Every API view says who may use it: no view falls back to DRF's default permission."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from surveys.api.uploads import PublicFileUploadView
from surveys.api.views import PublicSubmitView

# The public endpoints: explicitly AllowAny, and nothing else may be. A respondent's file is
# uploaded ahead of the submit that names it (surveys/api/uploads.py).
PUBLIC_VIEWS = {PublicSubmitView, PublicFileUploadView}


def api_views(patterns=None, prefix=""):
    """(path, view class) of every URL under /api/v1/."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        path = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from api_views(pattern.url_patterns, path)
        elif isinstance(pattern, URLPattern) and path.lstrip("^").startswith("api/v1/"):
            view = getattr(pattern.callback, "cls", None)
            if view is not None:
                yield path, view


def declares_permissions(view: type[APIView]) -> bool:
    """permission_classes set by the view or one of our own base classes, not by DRF's."""
    return any(
        "permission_classes" in klass.__dict__
        for klass in view.__mro__
        if not klass.__module__.startswith("rest_framework")
    )


API_VIEWS = sorted(set(api_views()), key=lambda row: row[0])


def test_the_walk_finds_the_api():
    names = {view.__name__ for _path, view in API_VIEWS}
    assert {"SurveyViewSet", "CaseViewSet", "MetricSummaryView", "PublicSubmitView"} <= names
    assert len(API_VIEWS) > 30


@pytest.mark.parametrize(("path", "view"), API_VIEWS, ids=[path for path, _view in API_VIEWS])
def test_every_api_view_declares_its_permission_classes(path, view):
    assert declares_permissions(view), f"{view.__qualname__} ({path}) sets no permission_classes"


@pytest.mark.parametrize(("path", "view"), API_VIEWS, ids=[path for path, _view in API_VIEWS])
def test_only_the_public_endpoints_allow_anyone(path, view):
    allows_anyone = AllowAny in view.permission_classes
    assert allows_anyone == (view in PUBLIC_VIEWS), f"{view.__qualname__} ({path})"


def test_a_view_without_its_own_declaration_is_caught():
    class Forgetful(APIView):
        pass

    class Declared(APIView):
        permission_classes = [AllowAny]

    class Inherits(Declared):
        pass

    assert not declares_permissions(Forgetful)
    assert declares_permissions(Declared)
    assert declares_permissions(Inherits)
