"""WeChat identity on responses: the openid from OAuth (snsapi_base), kept in a signed cookie
so it cannot be forged, stored on the response, and — when the survey asks — one completed
answer per openid."""

import re

from django.core import signing
from django.db import transaction

from surveys.models import Response, ResponseStatus, Survey, WechatIdentity

COOKIE = "sh_wx_openid"
COOKIE_SALT = "surveys.wechat.openid"
COOKIE_MAX_AGE = 60 * 60 * 24 * 30
OPENID_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # what WeChat issues (28 characters today)
STATE_SALT = "surveys.wechat.oauth-state"
STATE_MAX_AGE = 10 * 60


def openid_from_cookie(request) -> str:
    """The openid WeChat confirmed for this browser; "" when absent, forged or expired."""
    try:
        value = request.get_signed_cookie(COOKIE, salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE)
    except (KeyError, signing.BadSignature):
        return ""
    return value if OPENID_RE.match(value) else ""


def remember_openid(http_response, openid: str, *, secure: bool) -> None:
    http_response.set_signed_cookie(
        COOKIE, openid, salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE, httponly=True,
        samesite="Lax", secure=secure,
    )  # fmt: skip


def oauth_state(next_path: str) -> str:
    """A signed, short-lived `state`: where to go back to (our own path only)."""
    return signing.dumps(next_path, salt=STATE_SALT, compress=True)


def next_path_from_state(state: str) -> str | None:
    try:
        path = signing.loads(state, salt=STATE_SALT, max_age=STATE_MAX_AGE)
    except signing.BadSignature:
        return None
    return (
        path
        if isinstance(path, str) and path.startswith("/") and not path.startswith("//")
        else None
    )


def answered_by(survey: Survey, openid: str) -> bool:
    return Response.objects.filter(
        survey=survey, wechat_openid=openid, status=ResponseStatus.COMPLETED
    ).exists()


@transaction.atomic
def response_attach_openid(*, response: Response, openid: str) -> bool:
    """Store the openid on the response; False (nothing stored) when the survey takes one
    answer per WeChat user and this one has answered already.

    With "once", the survey row is locked until the caller's transaction ends, so two phones
    of one WeChat user completing at the same moment cannot both pass."""
    survey = response.survey
    if survey.wechat_identity == WechatIdentity.ONCE:
        Survey.objects.select_for_update().filter(pk=survey.pk).first()
        others = Response.objects.filter(
            survey=survey, wechat_openid=openid, status=ResponseStatus.COMPLETED
        ).exclude(pk=response.pk)
        if others.exists():
            return False
    Response.objects.filter(pk=response.pk, wechat_openid="").update(wechat_openid=openid)
    response.wechat_openid = response.wechat_openid or openid
    return True
