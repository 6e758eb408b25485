"""No outbound call to any third-party service: while the tests run, a connection or a name
lookup for anything but this machine is refused AND recorded, so the test that caused it
fails even when the product code swallows the error (tests/conftest.py installs this for
the whole session and checks the record after every test).

Loopback (127.0.0.0/8, ::1, localhost), this machine's own name and Unix sockets are
allowed: PostgreSQL, Redis, RabbitMQ, the SMTP server of the e2e tests and the live server
all listen there.
"""

from __future__ import annotations

import ipaddress
import socket
import traceback
from collections.abc import Iterator
from contextlib import contextmanager, suppress


class OutboundCallBlocked(ConnectionRefusedError):
    """Raised instead of connecting to (or resolving) a host outside this machine."""


violations: list[str] = []
_original: dict[str, object] = {}


def _local_names() -> set[str]:
    names = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback", ""}
    with suppress(OSError):
        names.add(socket.gethostname().lower())
    return names


LOCAL_NAMES = _local_names()


def is_local(host: object) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    text = str(host).strip("[]").lower().split("%", 1)[0]
    if text in LOCAL_NAMES or text.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _refuse(what: str) -> None:
    stack = "".join(traceback.format_stack(limit=12)[:-2])
    violations.append(f"{what}\n{stack}")
    raise OutboundCallBlocked(f"outbound network call blocked in tests: {what}")


def _guarded_connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not is_local(address[0]):
        _refuse(f"connect to {address!r}")
    return _original["connect"](self, address)


def _guarded_connect_ex(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not is_local(address[0]):
        _refuse(f"connect_ex to {address!r}")
    return _original["connect_ex"](self, address)


def _guarded_getaddrinfo(host, *args, **kwargs):
    if not is_local(host):
        _refuse(f"name lookup of {host!r}")
    return _original["getaddrinfo"](host, *args, **kwargs)


def install() -> None:
    if _original:
        return
    _original["connect"] = socket.socket.connect
    _original["connect_ex"] = socket.socket.connect_ex
    _original["getaddrinfo"] = socket.getaddrinfo
    socket.socket.connect = _guarded_connect
    socket.socket.connect_ex = _guarded_connect_ex
    socket.getaddrinfo = _guarded_getaddrinfo


def uninstall() -> None:
    if not _original:
        return
    socket.socket.connect = _original.pop("connect")
    socket.socket.connect_ex = _original.pop("connect_ex")
    socket.getaddrinfo = _original.pop("getaddrinfo")


@contextmanager
def expecting_blocked_calls() -> Iterator[list[str]]:
    """For the test of the guard itself: the calls made inside are blocked but not held
    against the test; yields the list of what was blocked."""
    before = len(violations)
    caught: list[str] = []
    try:
        yield caught
    finally:
        caught.extend(violations[before:])
        del violations[before:]
