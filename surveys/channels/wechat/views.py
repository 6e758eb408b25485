"""WeChat identity on the public survey page: the OAuth round trip (snsapi_base, a redirect:
no JavaScript needed, so WeChat's browser works as before) and the gate in front of a survey
that asks for it."""

import logging

import requests
from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from wechatpy.exceptions import WeChatException

from surveyhub.security.ratelimit import public_page
from surveys.channels.wechat.client import wechat_configured, wechat_oauth
from surveys.channels.wechat.identity import (
    OPENID_RE,
    answered_by,
    next_path_from_state,
    oauth_state,
    openid_from_cookie,
    remember_openid,
)
from surveys.channels.wechat.share import in_wechat
from surveys.models import WechatIdentity

logger = logging.getLogger(__name__)


def _refusal(request, reason: str, survey=None, status: int = 200):
    return render(request, "surveys/respond/unavailable.html",
                  {"reason": reason, "survey": survey}, status=status)  # fmt: skip


def _callback_url() -> str:
    return settings.SITE_URL + reverse("wechat-oauth")


def identity_gate(request, survey) -> tuple[str, object | None]:
    """(openid, None) to go on with the page, or ("", a response) that sends the visitor
    through WeChat's OAuth first or says why the survey cannot be answered here."""
    if survey.wechat_identity == WechatIdentity.OFF or not wechat_configured():
        return "", None
    openid = openid_from_cookie(request)
    if openid:
        if survey.wechat_identity == WechatIdentity.ONCE and answered_by(survey, openid):
            return openid, _refusal(request, "wechat_answered", survey)
        return openid, None
    if in_wechat(request) and request.method == "GET":
        oauth = wechat_oauth(_callback_url(), oauth_state(request.get_full_path()))
        return "", redirect(oauth.authorize_url)
    if survey.wechat_identity == WechatIdentity.ONCE:
        return "", _refusal(request, "wechat_only", survey)
    return "", None


@never_cache
@require_GET
@public_page
def oauth_callback(request):
    """WeChat sends the visitor back here with `code`; the openid it stands for is kept in a
    signed cookie. A forged, used or expired code stores nothing and says so."""
    next_path = next_path_from_state(request.GET.get("state", ""))
    code = request.GET.get("code", "")
    if next_path is None or not code or len(code) > 128 or not wechat_configured():
        return _refusal(request, "wechat_failed", status=400)
    try:
        reply = wechat_oauth(_callback_url(), "").fetch_access_token(code)
    except (WeChatException, requests.RequestException, KeyError) as exc:
        logger.info("WeChat OAuth refused a code: %s", exc)
        return _refusal(request, "wechat_failed", status=400)
    openid = str(reply.get("openid", ""))
    if not OPENID_RE.match(openid):
        return _refusal(request, "wechat_failed", status=400)
    response = redirect(next_path)
    remember_openid(response, openid, secure=request.is_secure())
    return response
