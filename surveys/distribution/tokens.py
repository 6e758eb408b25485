"""One-time invitation tokens.

A token is HMAC-SHA256(secret key, random 128-bit seed), base64url: unguessable without
the secret key. The database stores the seed and SHA-256 of the token, so a leaked
database alone opens nothing, and a retried email send can rebuild the same link.
"""

import base64
import hashlib
import hmac
import secrets

from django.conf import settings

TOKEN_LENGTH = 43  # base64url of 32 bytes, no padding


def new_seed() -> str:
    return secrets.token_hex(16)


def token_for(seed: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"invitation:{seed}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_token(token: str) -> bool:
    """Cheap shape check before touching the database with a tampered value."""
    return len(token) == TOKEN_LENGTH and all(c.isalnum() or c in "-_" for c in token)
