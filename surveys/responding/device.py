"""The device key stored on a response: a keyed hash of the respondent's device id (the
signed `sh_device` cookie the public pages set, or the `device_id` an app or the in-page
script sends), never the id itself. Responses of one survey sharing it are flagged as
duplicate devices in the results."""

import hashlib
import hmac
from functools import lru_cache

from django.conf import settings

SALT = "surveys.response.device_key"


@lru_cache(maxsize=4)
def _key(secret: str) -> bytes:
    # What Django's salted_hmac derives on every call, derived once per secret key.
    return hashlib.sha256((SALT + secret).encode()).digest()


def device_key(raw: str | None) -> str:
    """64 hex characters for a device id, "" without one (= salted_hmac(SALT, raw, sha256))."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    return hmac.new(_key(settings.SECRET_KEY), raw.encode(), hashlib.sha256).hexdigest()
