"""The device key stored on a response: a keyed hash of the respondent's device id (the
signed `sh_device` cookie the public pages set, or the `device_id` an app or the in-page
script sends), never the id itself. Responses of one survey sharing it are flagged as
duplicate devices in the results."""

from django.utils.crypto import salted_hmac

SALT = "surveys.response.device_key"


def device_key(raw: str | None) -> str:
    """64 hex characters for a device id, "" without one."""
    raw = (raw or "").strip()
    return salted_hmac(SALT, raw, algorithm="sha256").hexdigest() if raw else ""
