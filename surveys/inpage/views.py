"""The in-page survey endpoints other sites call: the script, its config, and "closed".

CORS: only the origins configured on the in-page survey get `Access-Control-Allow-Origin`;
any other origin is refused with 403 and no CORS header, so its page cannot read a thing.
Our own pages keep their strict CSP and framing (surveyhub/security/headers.py).
"""

import json
from functools import cache
from pathlib import Path

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from surveyhub.security.ratelimit import budgets_for, retry_after, throttled_detail
from surveys.errors import SurveyError
from surveys.inpage.config import in_page_by_key, script_config
from surveys.inpage.models import ContactOutcome
from surveys.inpage.services import DEVICE_ID, contact_record
from surveys.inpage.targeting import in_page_decision, visit_from_query

SCRIPT = Path(__file__).resolve().parent / "static" / "inpage" / "surveyhub.js"


@cache
def script_bytes() -> bytes:
    return SCRIPT.read_bytes()


@require_http_methods(["GET", "HEAD"])
@cache_control(public=True, max_age=3600)
def script(request):
    """/embed/v1/surveyhub.js: plain JavaScript, no request to anyone but us."""
    response = HttpResponse(script_bytes(), content_type="text/javascript; charset=utf-8")
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def cors(response, origin: str):
    response["Access-Control-Allow-Origin"] = origin
    response["Vary"] = "Origin"
    return response


def refused(message: str, status: int = 403) -> JsonResponse:
    response = JsonResponse({"detail": message}, status=status)
    response["Vary"] = "Origin"
    return response


def origin_refused() -> JsonResponse:
    return refused(_("This site is not allowed to show this in-page survey."))


def _limited(request) -> JsonResponse | None:
    seconds = retry_after(budgets_for(request, device=None))
    if seconds is None:
        return None
    response = refused(throttled_detail(), status=429)
    response["Retry-After"] = str(seconds)
    return response


def _allowed(request, key):
    """(the in-page survey, the caller's origin, a refusal to answer instead, if any)."""
    limited = _limited(request)
    if limited:
        return None, "", limited
    in_page = in_page_by_key(key)
    origin = request.headers.get("Origin", "")
    if in_page is None:
        message = _("There is no such in-page survey, or it is switched off.")
        return None, origin, refused(message, status=404)
    if origin.rstrip("/") not in in_page.origins:
        return None, origin, origin_refused()
    return in_page, origin, None


def _private(body: dict, origin: str) -> JsonResponse:
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store"
    return cors(response, origin)


@require_http_methods(["GET"])
def config(request, key):
    """Whether to show, and what: the script asks once per page it runs on (with the page's
    `path`, when it sends it; the attributes are decided by `eligible`)."""
    in_page, origin, refusal = _allowed(request, key)
    if refusal:
        return refusal
    try:
        visit = visit_from_query(request.GET, path_required=False)
    except SurveyError as exc:
        return cors(_bad_query(exc), origin)
    language = "en" if request.GET.get("lang", "").startswith("en") else "zh-hans"
    if language not in (in_page.survey.languages or ["zh-hans"]):
        language = "zh-hans"
    show = in_page_decision(in_page, visit, check_attributes=False)
    body = {"show": show, **script_config(in_page, language)} if show else {"show": False}
    return _private(body, origin)


@require_http_methods(["GET"])
def eligible(request, key):
    """The server's word, asked when the page's trigger fires and the script's own checks
    passed: show the question on this page (`path`), to this visitor (`attrs`, a JSON
    object), on this device (`device`)? A simple GET: no preflight."""
    in_page, origin, refusal = _allowed(request, key)
    if refusal:
        return refusal
    try:
        visit = visit_from_query(request.GET, path_required=True)
    except SurveyError as exc:
        return cors(_bad_query(exc), origin)
    return _private({"show": in_page_decision(in_page, visit, check_attributes=True)}, origin)


def _bad_query(exc: SurveyError) -> JsonResponse:
    """400 in the API's one error shape: `detail`, and `errors` naming the parameter."""
    body = {"detail": exc.text, "errors": {name: [str(text)] for name, text in exc.errors.items()}}
    response = JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})
    response["Vary"] = "Origin"
    return response


@csrf_exempt  # called from another site by design; it only records "closed" for a device
@require_http_methods(["POST"])
def dismiss(request, key):
    """The visitor closed the question: not shown again on this device for the re-contact
    days. A plain-text body ({"device_id": …}), so the browser sends it without a preflight."""
    in_page, origin, refusal = _allowed(request, key)
    if refusal:
        return refusal if refusal.status_code == 429 else origin_refused()
    try:
        device = str(json.loads(request.body or b"{}").get("device_id", ""))
    except (ValueError, AttributeError):
        return cors(refused(_("This request's body is not valid JSON."), status=400), origin)
    if not DEVICE_ID.fullmatch(device):
        return cors(refused(_("The device id is missing or not valid."), status=400), origin)
    contact_record(in_page=in_page, device_id=device, outcome=ContactOutcome.DISMISSED)
    return cors(HttpResponse(status=204), origin)
