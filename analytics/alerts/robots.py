"""Posting to WeCom (企业微信), DingTalk (钉钉) and Feishu/Lark (飞书) group robots, in their
documented webhook formats (pure: standard library only, no Django).

- WeCom: POST the webhook URL (…/cgi-bin/webhook/send?key=…) with
  {"msgtype": "markdown", "markdown": {"content": …}}; the answer is {"errcode": 0, …}.
- DingTalk: {"msgtype": "markdown", "markdown": {"title": …, "text": …}}; with a signing
  secret the URL gets `timestamp` (ms) and `sign` = urlencode(base64(HMAC-SHA256(key=secret,
  msg=f"{timestamp}\\n{secret}"))); the answer is {"errcode": 0, …}.
- Feishu/Lark: {"msg_type": "text", "content": {"text": …}}; with a secret the body gets
  `timestamp` (s) and `sign` = base64(HMAC-SHA256(key=f"{timestamp}\\n{secret}", msg=b""));
  the answer is {"code": 0, …} (older robots: {"StatusCode": 0, …}).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

KINDS = ("wecom", "dingtalk", "feishu")
TIMEOUT_SECONDS = 10
# WeCom refuses markdown over 4096 bytes; DingTalk and Feishu allow more: cut everyone's there.
MAX_BYTES = 4000


@dataclass
class RobotError(Exception):
    """Why a robot did not take the message. `reason`: "http" (status), "answer" (the robot's
    own error code and message), "network" or "not_json"."""

    reason: str
    status: int | None = None
    code: int | str | None = None
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.reason} {self.status or ''} {self.code or ''} {self.detail}".strip()


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """base64(HMAC-SHA256(secret, "timestamp\\nsecret")), before URL encoding."""
    digest = hmac.new(
        secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode()


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """base64(HMAC-SHA256 keyed with "timestamp\\nsecret" over an empty message)."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _cut(text: str) -> str:
    data = text.encode()
    if len(data) <= MAX_BYTES:
        return text
    return data[: MAX_BYTES - 3].decode(errors="ignore") + "…"


def robot_request(
    *, kind: str, url: str, secret: str, title: str, markdown: str, plain: str, now: float
) -> tuple[str, dict]:
    """The URL to POST to and the JSON body, for a message with a title, a markdown body
    (WeCom, DingTalk) and a plain-text body (Feishu). `now` is the Unix time in seconds."""
    if kind == "wecom":
        return url, {"msgtype": "markdown", "markdown": {"content": _cut(markdown)}}
    if kind == "dingtalk":
        body = {"msgtype": "markdown", "markdown": {"title": title[:60], "text": _cut(markdown)}}
        if secret:
            timestamp = int(now * 1000)
            sign = urllib.parse.quote_plus(dingtalk_sign(secret, timestamp))
            url = f"{url}{'&' if '?' in url else '?'}timestamp={timestamp}&sign={sign}"
        return url, body
    if kind == "feishu":
        body: dict = {"msg_type": "text", "content": {"text": _cut(plain)}}
        if secret:
            timestamp = int(now)
            body = {"timestamp": str(timestamp), "sign": feishu_sign(secret, timestamp), **body}
        return url, body
    raise ValueError(f"unknown robot kind {kind!r}")


def robot_post(url: str, body: dict, *, timeout: float = TIMEOUT_SECONDS) -> dict:
    """POST the JSON body; return the robot's answer, or raise RobotError."""
    request = urllib.request.Request(  # noqa: S310 (http(s) only: checked by the form)
        url,
        data=json.dumps(body, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            raw = answer.read(64 * 1024)
    except urllib.error.HTTPError as exc:
        detail = exc.read(300).decode(errors="replace")
        raise RobotError("http", status=exc.code, detail=detail) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = str(getattr(exc, "reason", exc)).replace(url, "<webhook>")  # a credential
        raise RobotError("network", detail=reason[:300]) from None
    try:
        data = json.loads(raw.decode() or "{}")
    except ValueError:
        raise RobotError("not_json", detail=raw[:200].decode(errors="replace")) from None
    if not isinstance(data, dict):
        raise RobotError("not_json", detail=str(data)[:200])
    for code_key, message_key in (
        ("errcode", "errmsg"),
        ("code", "msg"),
        ("StatusCode", "StatusMessage"),
    ):
        if code_key in data and data[code_key] not in (0, "0"):
            raise RobotError(
                "answer", code=data[code_key], detail=str(data.get(message_key, ""))[:300]
            )
    return data
