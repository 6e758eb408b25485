"""The suppression list: keyed hashes of erased people's emails and phones.

Erasure must not be undone by the next customer import: the address itself is gone, but
an HMAC of it (keyed with the secret key, so the list alone cannot be reversed by hashing a
dictionary of addresses) is kept, and an invitation to a customer whose email or phone is
on the list is skipped as unsubscribed. Rotating SECRET_KEY keeps working as long as the old
key stays in SECRET_KEY_FALLBACKS.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.crypto import salted_hmac

from surveys.models import ContactSuppression

SALT = "surveyhub.privacy.suppression"


def _normalise(kind: str, value: str) -> str:
    value = (value or "").strip()
    return value.lower() if kind == "email" else value


def _digests(kind: str, value: str) -> list[str]:
    value = _normalise(kind, value)
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [
        salted_hmac(SALT, f"{kind}:{value}", secret=key, algorithm="sha256").hexdigest()
        for key in keys
    ]


def suppress_contact(*, email: str = "", phone: str = "") -> None:
    """Add the email and phone (when present) to the suppression list."""
    for kind, value in (("email", email), ("phone", phone)):
        if _normalise(kind, value):
            ContactSuppression.objects.get_or_create(kind=kind, digest=_digests(kind, value)[0])


def suppressed_customer_ids(customers) -> set[int]:
    """The ids among `customers` (objects with pk, email, phone) on the suppression list: one
    query when the list is empty (the usual case), else one per thousand addresses."""
    if not ContactSuppression.objects.exists():
        return set()
    owners: dict[str, set[int]] = {}
    for customer in customers:
        for kind, value in (("email", customer.email), ("phone", customer.phone)):
            if _normalise(kind, value):
                for digest in _digests(kind, value):
                    owners.setdefault(digest, set()).add(customer.pk)
    digests, found = list(owners), set()
    for start in range(0, len(digests), 1000):
        chunk = digests[start : start + 1000]
        for digest in ContactSuppression.objects.filter(digest__in=chunk).values_list(
            "digest", flat=True
        ):
            found |= owners[digest]
    return found
