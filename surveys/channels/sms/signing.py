"""Request signing of the two SMS providers, exactly as their documentation defines it.

Pure Python, no Django: the fake providers of the tests verify with their own, independently
written code, and the documentation's worked examples are known-answer tests.

- Aliyun (dysmsapi 2017-05-25) RPC signature, SignatureVersion 1.0: HMAC-SHA1 with key
  `AccessKeySecret + "&"` over `METHOD&%2F&percent(canonical query)`, base64.
- Tencent Cloud API 3.0 (SendSms 2021-01-11): TC3-HMAC-SHA256 over the canonical request,
  with the key derived from the date and the service.
"""

import base64
import hashlib
import hmac
from urllib.parse import quote


def percent_encode(value: str) -> str:
    """RFC 3986 encoding as Aliyun's POP signature requires: space → %20, `*` → %2A, `~` kept."""
    return quote(str(value), safe="-_.~")


def aliyun_canonical_query(params: dict[str, str]) -> str:
    """The parameters (Signature left out) sorted by name, each name and value encoded."""
    return "&".join(
        f"{percent_encode(k)}={percent_encode(v)}"
        for k, v in sorted(params.items())
        if k != "Signature"
    )


def aliyun_rpc_signature(params: dict[str, str], secret: str, method: str = "GET") -> str:
    """Aliyun RPC `Signature` (HMAC-SHA1, version 1.0) of these request parameters."""
    string_to_sign = (
        f"{method}&{percent_encode('/')}&{percent_encode(aliyun_canonical_query(params))}"
    )
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _hmac256(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def tc3_signature(
    *,
    secret_key: str,
    service: str,
    host: str,
    timestamp: int,
    date: str,
    payload: str,
    content_type: str = "application/json; charset=utf-8",
    method: str = "POST",
) -> tuple[str, str]:
    """(signature, signed headers) of a Tencent Cloud API 3.0 request: TC3-HMAC-SHA256,
    signing the headers content-type and host, `date` the UTC day of `timestamp`."""
    signed_headers = "content-type;host"
    canonical_request = "\n".join(
        [
            method, "/", "",
            f"content-type:{content_type}\nhost:{host}\n",
            signed_headers,
            hashlib.sha256(payload.encode()).hexdigest(),
        ]
    )  # fmt: skip
    scope = f"{date}/{service}/tc3_request"
    string_to_sign = "\n".join(
        [
            "TC3-HMAC-SHA256",
            str(timestamp),
            scope,
            hashlib.sha256(canonical_request.encode()).hexdigest(),
        ]
    )
    key = _hmac256(f"TC3{secret_key}".encode(), date)
    key = _hmac256(key, service)
    key = _hmac256(key, "tc3_request")
    signature = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    return signature, signed_headers


def tc3_authorization(*, secret_id: str, date: str, service: str, signed_headers: str,
                      signature: str) -> str:  # fmt: skip
    """The Authorization header of a TC3-signed request."""
    return (
        f"TC3-HMAC-SHA256 Credential={secret_id}/{date}/{service}/tc3_request, "
        f"SignedHeaders={signed_headers}, Signature={signature}"
    )
