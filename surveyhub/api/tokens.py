"""Personal API keys: created, rotated and revoked by their owner, revoked by an Admin.

Clients send `Authorization: Token <key>` (as with DRF's tokens). Only SHA-256 of the key
is stored: the key has 240 random bits, so a fast hash is enough, and a lookup by hash
leaks nothing through timing. Keys of inactive users do not authenticate, and unknown keys
count as failed attempts of the client's address: once it is locked, further guesses get
429 (see login_throttle).
"""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header

from surveyhub.models import ApiToken
from surveyhub.security.login_throttle import active_lockout, login_failure_record, seconds_left
from surveyhub.security.ratelimit import client_ip

PREFIX_LENGTH = 8
# last_used_at is written at most this often per key, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user) -> tuple[ApiToken, str]:
    """A new key for `user`, replacing any previous one; returns the token and the key.

    The key exists only in the return value: show it once, it cannot be read back.
    """
    key = secrets.token_urlsafe(30)
    ApiToken.objects.filter(user=user).delete()
    token = ApiToken.objects.create(user=user, key_hash=key_hash(key), prefix=key[:PREFIX_LENGTH])
    return token, key


def api_token_revoke(*, user) -> bool:
    """Delete the user's key; returns whether there was one."""
    return ApiToken.objects.filter(user=user).delete()[0] > 0


def api_token_for_key(key: str) -> ApiToken | None:
    return ApiToken.objects.select_related("user").filter(key_hash=key_hash(key)).first()


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>` against the hashed keys of `ApiToken`.

    A subclass of DRF's TokenAuthentication so the OpenAPI schema describes it the same way.
    """

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Invalid token header. Expected: Token followed by the key, one space between.")
            )
        try:
            key = parts[1].decode("ascii")
        except UnicodeError:
            key = None
        token = api_token_for_key(key) if key else None
        if token is None:
            # Only guesses are throttled: a valid key costs no lock-out query, and a key of
            # 240 random bits cannot be found by guessing between two locks anyway.
            ip = client_ip(request)
            lock = active_lockout(ip=ip)
            if lock is not None:
                raise exceptions.Throttled(
                    wait=seconds_left(lock),
                    detail=_("Too many failed attempts from your network. Try again later."),
                )
            login_failure_record(username=None, ip=ip)
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
