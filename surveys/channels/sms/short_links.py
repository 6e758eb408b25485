"""Short personal links for SMS: /r/<code>/ opens the invitation, /r/<code>/u/ unsubscribes.

The code is derived from the invitation's seed with the secret key (like its token), so a
retried send texts the same link and a copy of the database alone opens nothing: only
SHA-256 of the code is stored.
"""

import hashlib
import hmac
import re

from django.conf import settings

from surveys.models import Invitation

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"  # no 0/O, 1/l/I
CODE_LENGTH = 10  # 57^10 ≈ 3.6·10^17
CODE_RE = re.compile(rf"^[{ALPHABET}]{{{CODE_LENGTH}}}$")


def short_code_for(seed: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"short:{seed}".encode(), hashlib.sha256)
    number = int.from_bytes(digest.digest(), "big")
    chars = []
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[index])
    return "".join(chars)


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def short_url(code: str, *, unsubscribe: bool = False) -> str:
    return f"{settings.SITE_URL}/r/{code}/{'u/' if unsubscribe else ''}"


def invitation_by_short_code(code: str) -> Invitation | None:
    """The invitation of a short code; None for a malformed, forged or unknown one."""
    if not CODE_RE.match(code):
        return None
    return Invitation.objects.filter(short_code_hash=hash_code(code)).first()
