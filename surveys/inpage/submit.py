"""The public JSON submit, opened to the sites an in-page survey allows (CORS).

Requests without an `Origin` of another site (apps, our own pages) go through unchanged. A
request from another site is let in only when an enabled in-page survey of that survey lists
its origin, sends the "in_page" channel, and its device has not answered within the
re-contact days; the browser's preflight is answered here too.
"""

import json
import uuid
from functools import wraps

from django.http import HttpResponse
from django.utils.translation import gettext as _

from surveys.inpage.models import ContactOutcome
from surveys.inpage.services import contact_record, device_recently_contacted, in_page_for_origin
from surveys.inpage.views import cors, origin_refused, refused
from surveys.models import Channel, Response

PREFLIGHT_MAX_AGE = 600


def _same_origin(request, origin: str) -> bool:
    return origin == f"{request.scheme}://{request.get_host()}"


def open_to_in_page_sites(view):
    """Wrap the public submit view (see the module's docstring)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        origin = request.headers.get("Origin", "").rstrip("/")
        if not origin or _same_origin(request, origin):
            return view(request, *args, **kwargs)
        in_page = in_page_for_origin(slug=kwargs.get("slug", ""), origin=origin)
        if in_page is None:
            return origin_refused()
        if request.method == "OPTIONS":
            response = cors(HttpResponse(status=204), origin)
            response["Access-Control-Allow-Methods"] = "POST"
            response["Access-Control-Allow-Headers"] = "Content-Type, X-Device-Id, Accept-Language"
            response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
            return response
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            body = None  # the view answers it in its own words
        device = ""
        if isinstance(body, dict):
            if body.get("channel") != Channel.IN_PAGE:
                message = _("Answers from another site are taken only from an in-page survey.")
                return cors(refused(message, status=400), origin)
            device = str(body.get("device_id") or "")
            # A resend of the first answer is not a second answer: looked up only for a
            # device that did answer (one query fewer on every first answer).
            if (
                device
                and device_recently_contacted(in_page, device, answered_only=True)
                and not _resent(body.get("submission_id"))
            ):
                message = _("This device has already answered this survey recently; thank you.")
                return cors(refused(message, status=409), origin)
        response = view(request, *args, **kwargs)
        if 200 <= response.status_code < 300 and device:
            contact_record(in_page=in_page, device_id=device, outcome=ContactOutcome.ANSWERED)
        return cors(response, origin)

    return wrapped


def _resent(submission_id) -> bool:
    try:
        uuid.UUID(str(submission_id))
    except ValueError:
        return False
    return Response.objects.filter(submission_id=str(submission_id)).exists()
