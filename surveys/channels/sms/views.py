"""Public SMS pages: the short personal links and the providers' callbacks (delivery
receipts, and the texts phones send back)."""

import hmac
import json
import logging

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from surveyhub.security.ratelimit import public_page
from surveys.channels.sms.providers import PROVIDERS, ReceiptError
from surveys.channels.sms.replies import replies_record
from surveys.channels.sms.sending import receipts_record
from surveys.channels.sms.short_links import invitation_by_short_code
from surveys.distribution.tokens import token_for

logger = logging.getLogger(__name__)


@never_cache
@require_GET
@public_page(invitation_kwarg="code")
def short_link(request, code, unsubscribe=False):
    """/r/<code>/ → the personal invitation page; /r/<code>/u/ → its unsubscribe page."""
    invitation = invitation_by_short_code(code)
    if invitation is None:
        return render(
            request, "surveys/respond/unavailable.html", {"reason": "invalid_sms"}, status=404
        )
    token = token_for(invitation.token_seed)
    name = "unsubscribe" if unsubscribe else "respond-invitation"
    return redirect(reverse(name, kwargs={"token": token}))


# Delivery receipts: the providers push reports to a URL we give them; they sign nothing, so
# the URL carries a secret (SURVEYHUB_SMS_CALLBACK_TOKEN). No CSRF token from a provider.
def _known_callback(provider: str, token: str) -> bool:
    secret = settings.SURVEYHUB_SMS_CALLBACK_TOKEN
    return provider in PROVIDERS and bool(secret) and hmac.compare_digest(token, secret)


def _taken(adapter) -> HttpResponse:
    return HttpResponse(
        json.dumps(adapter.receipt_answer(), ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )


def _pushed(request, provider: str, token: str, *, parse: str, record, missing, bad_form, kind):
    """A provider's push to its secret URL: parsed by the adapter's `parse` method, handed
    to `record`, answered as the provider expects; a wrong URL is a 404, a body not in the
    documented form a 400 that says why."""
    if not _known_callback(provider, token):
        return JsonResponse({"detail": missing}, status=404)
    adapter = PROVIDERS[provider]
    try:
        pushed = getattr(adapter, parse)(request.body)
    except ReceiptError as exc:
        return JsonResponse({"detail": bad_form % {"why": exc}}, status=400)
    counted = record(pushed)
    logger.info("%s %s: %s pushed, %s recorded", provider, kind, len(pushed), counted)
    return _taken(adapter)


@csrf_exempt
@require_POST
def delivery_receipts(request, provider, token):
    return _pushed(
        request, provider, token, parse="parse_receipts", kind="receipts",
        record=lambda receipts: receipts_record(receipts=receipts),
        missing=_("There is no receipt address here."),
        bad_form=_("The delivery report is not in the provider's documented form: %(why)s."),
    )  # fmt: skip


# Replies (MO / uplink): Aliyun's SmsUp messages and Tencent's reply callback, pushed to a
# URL with the same secret as the receipts. "T" / "TD" / "退订" / "N" unsubscribes the number.
@csrf_exempt
@require_POST
def inbound_replies(request, provider, token):
    return _pushed(
        request, provider, token, parse="parse_replies", kind="replies",
        record=lambda replies: replies_record(replies=replies),
        missing=_("There is no reply address here."),
        bad_form=_("The reply message is not in the provider's documented form: %(why)s."),
    )  # fmt: skip
