"""Refuse an over-size upload from its Content-Length, before its body is read.

Django streams file parts to a temporary file and has no limit of its own for them
(DATA_UPLOAD_MAX_MEMORY_SIZE leaves files out), and CSRF checking reads the body before any
view runs. This middleware answers 413 first, so a 5 GB upload costs neither memory, nor
disk, nor the time to receive it. The exact file size is checked again by the importer.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from surveyhub.api.errors import API_PREFIX, api_error_response
from surveyhub.spreadsheets import limits

# Room for the other form fields and the multipart boundaries around the file.
FORM_OVERHEAD_BYTES = 1024 * 1024


class UploadSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("POST", "PUT", "PATCH") and request.content_type.startswith(
            "multipart/"
        ):
            limit = limits.limits()
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit.max_bytes + FORM_OVERHEAD_BYTES:
                return _too_large(request, limit)
        return self.get_response(request)


def _too_large(request: HttpRequest, limit: limits.Limits) -> HttpResponse:
    message = limits.too_large(limit).text
    if request.path.startswith(API_PREFIX):
        return api_error_response(message, {"file": [message]}, status=413)
    try:
        back_url = reverse("analytics:imports")
    except NoReverseMatch:
        back_url = "/"
    return render(
        request,
        "surveyhub/upload_too_large.html",
        {"message": message, "back_url": back_url},
        status=413,
    )
