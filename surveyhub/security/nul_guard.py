"""Refuse NUL (0x00) characters in query strings and in API request bodies with a 400.

PostgreSQL stores no NUL in text or jsonb: a filter or a JSON value carrying one used to end
in a database error (HTTP 500) wherever it reached a query. No client has a reason to send
one, so they are refused up front with a clear message:

- in the query string of any URL (filters of the API and of the staff pages);
- in JSON and form bodies sent to the staff API (`/api/`). The public submit
  (`/api/v1/public/`) and the respondent pages keep removing stray control characters from
  answers instead: a respondent's answer is never refused for one.
"""

import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.request import RawPostDataException
from django.utils.translation import gettext

from surveyhub.api.errors import API_PREFIX, api_error_response

PUBLIC_API_PREFIX = "/api/v1/public/"
# A JSON \u0000 escape, not preceded by an escaped backslash ("\\u0000" is harmless text).
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)


def nul_message() -> str:
    return gettext("The request contains a NUL (0x00) character, which is not allowed.")


class RejectNulCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _query_has_nul(request) or _api_body_has_nul(request):
            if request.path.startswith(API_PREFIX):
                return api_error_response(nul_message(), status=400)
            return HttpResponseBadRequest(nul_message(), content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _query_has_nul(request: HttpRequest) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in request.GET.lists()
    )


def _api_body_has_nul(request: HttpRequest) -> bool:
    if not request.path.startswith(API_PREFIX) or request.path.startswith(PUBLIC_API_PREFIX):
        return False
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return False
    content_type = request.content_type or ""
    if content_type not in ("application/json", "application/x-www-form-urlencoded"):
        return False  # multipart carries files, where a NUL byte is ordinary
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if length <= 0 or (limit is not None and length > limit):
        return False  # empty, or too large for Django to read here: the view refuses it
    try:
        body = request.body
    except RawPostDataException:
        return False
    if b"\x00" in body:
        return True
    if content_type == "application/json":
        return _JSON_NUL.search(body) is not None
    return b"%00" in body
