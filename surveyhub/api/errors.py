"""One domain error type, and one shape for every API error.

Every error of the API answers, whatever raised it (a service's `DomainError`, a serializer,
DRF's authentication, permission, parsing, content negotiation or throttling, Django's
`Http404`/`PermissionDenied`, an unknown `/api/` URL, a middleware refusing the request):

    {"detail": "<one sentence>", "errors": {"<field>": ["<message>", …]}}

- `detail` is never empty and is in the request's language (`Accept-Language`, zh-Hans by
  default).
- `errors` is there only when input fields are at fault: one list of messages per field.
  Nested input is named by a dotted path (`questions.0.text`, `answers.q1`). Errors that
  belong to no field (DRF's `non_field_errors`, a refused action) are folded into `detail`,
  never listed under `errors`.
- No other keys. The status is the exception's: 400 by default for a `DomainError`,
  401/403/404/405/413/415/429 as usual.

`exception_handler` is `REST_FRAMEWORK["EXCEPTION_HANDLER"]`; `page_not_found`,
`bad_request` and `server_error` are the project's handler404/400/500 and answer `/api/`
paths in the same shape (everything else keeps Django's pages); `api_error_response` is for
the middleware that refuse API requests before any view runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import defaults
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

API_PREFIX = "/api/"
# Field errors are listed under at most this many names in `detail`.
FIELDS_NAMED = 5


class DomainError(Exception):
    """A rule of the domain was broken: the message is translated and safe to show.

    - `message`: what went wrong, one sentence (a translated or a lazy string);
    - `field`: the input at fault, if one is (the API lists `message` under it);
    - `errors`: input at fault → its message or messages (more than one field);
    - `status_code`: what the API answers: 400 unless a subclass says otherwise (404, 409…).

    The apps' errors (SurveyError, FeedbackError, CaseError, ReportError…) derive from it, so
    views let them through and the exception handler answers them; retry signals of the
    workers (a temporary SMTP failure…) are not user errors and stay plain exceptions.
    """

    status_code = 400
    field: str | None = None

    def __init__(self, message="", errors: Mapping | None = None, *, field: str | None = None):
        super().__init__(str(message))
        # A subclass may set its attributes before calling up (e.g. a lazy message filled in
        # with parameters when shown): those stay.
        attributes = vars(self)
        attributes.setdefault("message", message)
        attributes.setdefault("errors", dict(errors or {}))
        if field is not None:
            attributes.setdefault("field", field)

    @property
    def text(self) -> str:
        """The message in the active language."""
        return str(self.message)

    def field_errors(self) -> dict[str, list[str]]:
        """Field → its messages in the active language (empty when no field is at fault)."""
        errors: dict[str, list[str]] = {}
        _collect(self.errors if isinstance(self.errors, Mapping) else {}, "", errors, [])
        if self.field and self.field not in errors:
            errors[self.field] = [self.text]
        return errors

    def nested_under(self, prefix: str, *, fields_of_the_request=()) -> DomainError:
        """The same error with its fields named from `prefix` (`q1` → `answers.q1`), except
        `fields_of_the_request`, which are named as they are; for a view whose request holds
        the service's input under one key."""
        errors = self.errors if isinstance(self.errors, Mapping) else {}
        self.errors = {
            (key if key in fields_of_the_request else f"{prefix}.{key}"): value
            for key, value in errors.items()
        }
        if self.field and self.field not in fields_of_the_request:
            self.field = f"{prefix}.{self.field}"
        return self


# The body -------------------------------------------------------------------------------


def error_body(detail, errors: Mapping[str, list[str]] | None = None) -> dict:
    """The one error shape: `detail`, and `errors` when fields are at fault."""
    body = {"detail": str(detail).strip() or _("The request could not be completed.")}
    if errors:
        body["errors"] = {str(name): [str(m) for m in texts] for name, texts in errors.items()}
    return body


def api_error_response(detail, errors=None, *, status: int, headers=None) -> JsonResponse:
    """An error in the one shape from plain Django code (middleware, URL error handlers)."""
    return JsonResponse(error_body(detail, errors), status=status, headers=headers)


# Errors of the object itself, not of one of its fields (DRF's and Django's names for them).
_NON_FIELD_KEYS = ("detail", api_settings.NON_FIELD_ERRORS_KEY, "__all__")


def _collect(detail, path: str, errors: dict[str, list[str]], general: list[str]) -> None:
    """Flatten DRF's error structure: messages of a field under its dotted path in `errors`,
    messages of no field (top-level strings, `detail`, `non_field_errors`) in `general`."""
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            key = str(key)
            if key in _NON_FIELD_KEYS:  # of the object at `path` itself
                _collect(value, path, errors, general)
            else:
                _collect(value, f"{path}.{key}" if path else key, errors, general)
    elif isinstance(detail, list | tuple):
        for index, item in enumerate(detail):
            if isinstance(item, Mapping | list | tuple):
                _collect(item, f"{path}.{index}" if path else str(index), errors, general)
            else:
                _collect(item, path, errors, general)
    elif detail is not None and str(detail).strip():
        if path:
            errors.setdefault(path, []).append(str(detail))
        else:
            general.append(str(detail))


def _fields_sentence(errors: Mapping[str, list[str]]) -> str:
    names = list(errors)
    shown = ", ".join(names[:FIELDS_NAMED]) + (", …" if len(names) > FIELDS_NAMED else "")
    return ngettext(
        "The value of %(fields)s is not valid.",
        "The values of %(fields)s are not valid.",
        len(names),
    ) % {"fields": shown}


# DRF ------------------------------------------------------------------------------------

# DRF's multipart parser says this in English only; the reason stays as it is. (JSON is read
# by surveyhub.api.parsers, whose messages are translated already.)
_PARSE_ERROR = re.compile(r"^Multipart form parse error - (.*)$", re.DOTALL)


def _parse_error_detail(text: str) -> str:
    match = _PARSE_ERROR.match(text)
    if match is None:
        return text
    return _("The multipart form could not be read (%(reason)s).") % {"reason": match.group(1)}


def _as_api_exception(exc) -> exceptions.APIException | None:
    if isinstance(exc, exceptions.APIException):
        return exc
    # Django's own messages here are English only (e.g. get_object_or_404's "No Customer
    # matches the given query."): DRF's translated defaults instead.
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, DjangoValidationError):  # a model's full_clean reached a view
        return exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, RequestDataTooBig):
        return _RequestTooLarge()
    return None


class _RequestTooLarge(exceptions.APIException):
    status_code = 413
    default_code = "request_too_large"

    def __init__(self):
        super().__init__(_("The request is too large."))


def domain_error_body(exc: DomainError) -> dict:
    """`detail` the error's message (and any message of its `errors` that names no field),
    `errors` its fields."""
    general: list[str] = []
    if isinstance(exc.errors, Mapping):
        _collect(exc.errors, "", {}, general)
    detail = " ".join(dict.fromkeys([exc.text, *general]))
    return error_body(detail, exc.field_errors())


def api_exception_body(exc: exceptions.APIException) -> dict:
    errors: dict[str, list[str]] = {}
    general: list[str] = []
    _collect(exc.detail, "", errors, general)
    if isinstance(exc, exceptions.ParseError):
        general = [_parse_error_detail(text) for text in general]
    if general:
        detail = " ".join(general)
    elif errors:
        detail = _fields_sentence(errors)
    else:
        detail = str(exc.default_detail)
    return error_body(detail, errors)


def exception_handler(exc, context):
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: any error a view raises, in the one shape.

    Returns None for anything else (a bug): Django answers 500 through `server_error`.
    """
    if isinstance(exc, DomainError):
        response = Response(domain_error_body(exc), status=exc.status_code)
    else:
        api_exc = _as_api_exception(exc)
        if api_exc is None:
            return None
        headers = {}
        if getattr(api_exc, "auth_header", None):
            headers["WWW-Authenticate"] = api_exc.auth_header
        if getattr(api_exc, "wait", None):
            headers["Retry-After"] = str(int(api_exc.wait))
        response = Response(
            api_exception_body(api_exc), status=api_exc.status_code, headers=headers
        )
    set_rollback()
    return response


# Django's error handlers (surveyhub/urls.py) ---------------------------------------------


def page_not_found(request, exception):
    """A URL under /api/ that matches no route (e.g. a non-numeric id in the path)."""
    if request.path.startswith(API_PREFIX):
        return api_error_response(exceptions.NotFound.default_detail, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception):
    """A request Django refuses before any view (malformed, too many fields, too large)."""
    if request.path.startswith(API_PREFIX):
        if isinstance(exception, RequestDataTooBig):
            return api_error_response(_("The request is too large."), status=413)
        return api_error_response(exceptions.ParseError.default_detail, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if request.path.startswith(API_PREFIX):
        return api_error_response(exceptions.PermissionDenied.default_detail, status=403)
    return defaults.permission_denied(request, exception)


def server_error(request):
    """A 500 under /api/ is JSON too (no traceback, nothing about the failure); a retry with
    the same submission_id is stored once."""
    if request.path.startswith(API_PREFIX):
        message = _("The server had a problem; please try again in a moment.")
        return api_error_response(message, status=500)
    return defaults.server_error(request)
