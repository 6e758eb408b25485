"""Error pages that answer API clients in JSON.

A URL under /api/ that matches no route (e.g. a non-numeric id in the path), or a request
Django refuses before any view (a malformed request), gets `{"detail": …}` like every other
API error instead of the HTML page meant for people; so does a server error there.
Everything else keeps Django's pages.
"""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework.exceptions import NotFound, ParseError

API_PREFIX = "/api/"


def page_not_found(request, exception):
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception):
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": str(ParseError.default_detail)}, status=400)
    return defaults.bad_request(request, exception)


def server_error(request):
    """A 500 under /api/ is JSON too (no traceback, nothing about the failure); a retry with
    the same submission_id is stored once."""
    if request.path.startswith(API_PREFIX):
        message = _("The server had a problem; please try again in a moment.")
        return JsonResponse({"detail": str(message)}, status=500)
    return defaults.server_error(request)
