"""Rate limits of the public respondent endpoints, counted in the cache.

Phones behind one carrier IP (CGNAT) share an address, so a respondent is limited mainly by
their device (a signed cookie, or the `X-Device-Id` header of apps) and their invitation
token; the per-IP budget is a generous backstop against one machine flooding the site.

Fixed one-minute windows: one counter key per (budget, identity, minute), created with its
expiry and incremented atomically. On Redis all the counters of a request are bumped by one
small Lua script, in one round trip. If the cache is down the limits are skipped for a while
(fail open): an outage of the cache must never cost an answer.
"""

import hashlib
import ipaddress
import logging
import math
import re
import time
import uuid
import weakref
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from rest_framework.throttling import BaseThrottle

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60
DEVICE_COOKIE = "sh_device"
DEVICE_COOKIE_SALT = "surveyhub.device"
DEVICE_COOKIE_MAX_AGE = 60 * 60 * 24 * 365
# Apps and mini programs that keep no cookies send their own stable id in this header.
DEVICE_HEADER = "X-Device-Id"
_DEVICE_HEADER_META = "HTTP_" + DEVICE_HEADER.upper().replace("-", "_")
_DEVICE_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")
# After a cache error, counting is skipped for this long instead of failing every request.
CACHE_DOWN_PAUSE_SECONDS = 30
_cache_down_until = 0.0
_clock = time.time  # the tests move it to a later window
_redis_scripts: "weakref.WeakKeyDictionary[RedisCache, object]" = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Budget:
    """At most `per_minute` requests of one identity (device, token, IP) in a minute."""

    name: str
    identity: str
    per_minute: int


def request_address(request) -> str:
    """The client's address as sent; behind `SURVEYHUB_TRUSTED_PROXIES` proxies, from
    X-Forwarded-For (the entry the nearest trusted proxy added)."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.SURVEYHUB_TRUSTED_PROXIES
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            address = hops[-proxies]
    return address


def client_ip(request) -> str:
    """The client's address for counting: IPv6 clients per /64, the block one subscriber
    line gets."""
    address = request_address(request)
    if ":" in address:
        try:
            ip = ipaddress.IPv6Address(address)
        except ValueError:
            return "invalid"
        if ip.ipv4_mapped:  # an IPv4 client of a dual-stack socket (gunicorn on [::])
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False).network_address)
    return address or "unknown"


def device_id(request) -> str | None:
    """The device's id from the app header or the signed cookie; None for a first visit."""
    header = request.META.get(_DEVICE_HEADER_META)
    if header and _DEVICE_ID.fullmatch(header):
        return header
    cookie = request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_COOKIE_SALT)
    return cookie if cookie and _DEVICE_ID.fullmatch(cookie) else None


def set_device_cookie(request, response, value: str) -> None:
    response.set_signed_cookie(
        DEVICE_COOKIE, value, salt=DEVICE_COOKIE_SALT, max_age=DEVICE_COOKIE_MAX_AGE,
        httponly=True, samesite="Lax", secure=request.is_secure(),
    )  # fmt: skip


def budgets_for(request, *, device: str | None, token: str | None = None, submit=False):
    """The budgets one public request counts against."""
    limits = []
    if device is not None:
        if submit:
            limits.append(Budget("submit", device, settings.SURVEYHUB_RATELIMIT_SUBMIT_PER_MINUTE))
        else:
            limits.append(Budget("device", device, settings.SURVEYHUB_RATELIMIT_DEVICE_PER_MINUTE))
    if token:
        # Counters are keyed by a digest: the cache never holds a usable invitation link.
        digest = hashlib.sha256(token.encode()).hexdigest()[:32]
        limits.append(Budget("token", digest, settings.SURVEYHUB_RATELIMIT_TOKEN_PER_MINUTE))
    limits.append(Budget("ip", client_ip(request), settings.SURVEYHUB_RATELIMIT_IP_PER_MINUTE))
    return limits


def retry_after(budgets: list[Budget], now: float | None = None) -> int | None:
    """Count one request against every budget; seconds to wait if any is spent, else None."""
    global _cache_down_until
    if not settings.SURVEYHUB_RATELIMIT_ENABLED or not budgets:
        return None
    now = _clock() if now is None else now
    if now < _cache_down_until:
        return None
    window = int(now // WINDOW_SECONDS)
    keys = [f"rl:{b.name}:{b.identity}:{window}" for b in budgets]
    try:
        counts = _increment(keys)
    except Exception:  # any cache failure: let the respondent through, say so in the log
        _cache_down_until = now + CACHE_DOWN_PAUSE_SECONDS
        logger.warning("rate limits skipped for %ss: the cache failed", CACHE_DOWN_PAUSE_SECONDS,
                       exc_info=True)  # fmt: skip
        return None
    if all(count <= budget.per_minute for count, budget in zip(counts, budgets, strict=True)):
        return None
    return max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))


def _increment(keys: list[str]) -> list[int]:
    # The counter outlives its window a little; an expiry of two windows is plenty.
    ttl = 2 * WINDOW_SECONDS
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        # One command for all counters (a third cheaper than a pipeline of SET NX + INCR).
        names = [cache.make_and_validate_key(key) for key in keys]
        return list(_redis_counter(cache)(keys=names, args=[ttl]))
    return [cache_count(key, ttl, cache=cache) for key in keys]


def cache_count(key: str, ttl: int, *, cache=None) -> int:
    """Add one to a counter in the cache (created with its expiry); returns the new count.
    Raises what the cache raises when it is down."""
    cache = cache or caches["default"]
    cache.add(key, 0, ttl)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, ttl)
        return 1


# INCR each key, giving it its expiry when this INCR created it; the counts, in key order.
_COUNT_SCRIPT = """
local counts = {}
for i, key in ipairs(KEYS) do
  counts[i] = redis.call('INCR', key)
  if counts[i] == 1 then redis.call('EXPIRE', key, ARGV[1]) end
end
return counts
"""


def _redis_counter(cache: RedisCache):
    """The counting script on the cache's redis-py client, kept: Django builds a new client
    on every call, which costs more than the round trip itself."""
    script = _redis_scripts.get(cache)
    if script is None:
        client = cache._cache.get_client(write=True)
        script = _redis_scripts[cache] = client.register_script(_COUNT_SCRIPT)
    return script


def too_many_requests_page(request, seconds: int):
    """The friendly 429 page; for a POST it carries the answers back, ready to be sent again."""
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        for value in values
        if name not in {"csrfmiddlewaretoken", "action"}
    ]
    action = request.POST.get("action", "")
    response = render(
        request,
        "respondent/too_many_requests.html",
        {"seconds": seconds, "fields": fields, "action": action if action != "autosave" else "",
         "is_post": request.method == "POST", "retry_url": request.get_full_path()},
        status=429,
    )  # fmt: skip
    response["Retry-After"] = str(seconds)
    add_never_cache_headers(response)
    return response


def public_page(view=None, *, invitation_kwarg: str | None = None, set_cookie: bool = True):
    """Rate-limit a public HTML view, and give a first-time visitor their device cookie."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            device = device_id(request)
            token = kwargs.get(invitation_kwarg) if invitation_kwarg else None
            seconds = retry_after(budgets_for(request, device=device, token=token))
            if seconds is not None:
                response = too_many_requests_page(request, seconds)
            else:
                response = view(request, *args, **kwargs)
            if device is None and set_cookie:
                set_device_cookie(request, response, uuid.uuid4().hex)
            return response

        return wrapped

    return decorate(view) if view is not None else decorate


class PublicSubmitThrottle(BaseThrottle):
    """DRF throttle of the public JSON submit: per device (header or cookie) and per IP."""

    def allow_request(self, request, view):
        budgets = budgets_for(request, device=device_id(request), submit=True)
        self.seconds = retry_after(budgets)
        return self.seconds is None

    def wait(self):
        return self.seconds


def throttled_detail() -> str:
    return _(
        "Too many answers were sent from this device or network, so these were not saved. "
        "Please send them again in a moment."
    )
