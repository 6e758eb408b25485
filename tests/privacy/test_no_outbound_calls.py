"""No outbound call to any third-party service anywhere in the product.

At run time the session-wide guard of tests/network_guard.py refuses (and fails the test
for) any connection or name lookup beyond this machine, across the whole suite. The tests
here prove the guard works, and check statically what the guard cannot see: pages that
would make the *browser* load something from another host, and settings that default to
a remote service.
"""

import contextlib
import re
import socket
from pathlib import Path

import pytest
from django.conf import settings

from tests import network_guard

ROOT = Path(settings.BASE_DIR)
APPS = ("surveys", "feedback", "analytics", "surveyhub")
# Things a page makes the browser fetch: script/img/iframe/source src, <link href>, form
# actions, CSS url(), @import, and fetch()/XHR/EventSource/WebSocket in our scripts.
FETCHING = re.compile(
    r"""(?:\bsrc|\bsrcset|\baction|\bposter|\bdata)\s*=\s*["']\s*(?:https?:)?//"""
    r"""|<link\b[^>]*\bhref\s*=\s*["']\s*(?:https?:)?//"""
    r"""|url\(\s*["']?\s*(?:https?:)?//"""
    r"""|@import\s+["']?\s*(?:https?:)?//"""
    r"""|\b(?:fetch|open|EventSource|WebSocket|sendBeacon)\s*\(\s*(?:["'][A-Z]+["']\s*,\s*)?["'`]\s*(?:https?|wss?):?//"""
    r"""|sourceMappingURL=\s*(?:https?:)?//""",
    re.IGNORECASE,
)


def _served_files() -> list[Path]:
    dirs = [ROOT / "templates"]
    for app in APPS:
        dirs += [ROOT / app / "templates", ROOT / app / "static"]
    dirs += [Path(d[1] if isinstance(d, tuple) else d) for d in settings.STATICFILES_DIRS]
    suffixes = {".html", ".txt", ".js", ".mjs", ".css", ".svg", ".xml"}
    return [p for d in dirs if d.exists() for p in d.rglob("*") if p.suffix in suffixes]


def test_a_connection_to_another_host_is_refused_and_recorded():
    with network_guard.expecting_blocked_calls() as blocked:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            with pytest.raises(network_guard.OutboundCallBlocked):
                sock.connect(("203.0.113.7", 443))  # TEST-NET-3: nobody answers anyway
        finally:
            sock.close()
        with pytest.raises(network_guard.OutboundCallBlocked):
            socket.create_connection(("api.example.com", 443), timeout=1)

    assert len(blocked) == 2
    assert "203.0.113.7" in blocked[0] and "api.example.com" in blocked[1]


def test_a_swallowed_blocked_call_is_still_recorded():
    # Swallowed, as product code that retries "later" would.
    with network_guard.expecting_blocked_calls() as blocked, contextlib.suppress(OSError):
        socket.getaddrinfo("smtp.example.net", 25)

    assert blocked and "smtp.example.net" in blocked[0]


def test_this_machine_stays_reachable():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    try:
        client = socket.create_connection(server.getsockname(), timeout=1)
        client.close()
        assert socket.getaddrinfo("localhost", 80)
    finally:
        server.close()
    assert not network_guard.violations


def test_no_page_or_script_makes_the_browser_load_anything_from_another_host():
    files = _served_files()
    assert len(files) > 20  # the scan looks where the pages are

    offending = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in files
        for match in FETCHING.finditer(path.read_text(encoding="utf-8", errors="replace"))
    ]

    assert offending == []


def test_the_scan_would_catch_a_cdn_script():
    page = '<script src="https://cdn.jsdelivr.net/npm/chart.js"></script>'
    css = "body { background: url('//img.example.com/x.png') }"
    script = 'fetch("https://api.example.com/track", {method: "POST"})'

    assert all(FETCHING.search(text) for text in (page, css, script))
    assert not FETCHING.search('<a href="https://www.example.com/privacy">')


def test_the_content_security_policy_names_no_other_host(client):
    policy = client.get("/login/")["Content-Security-Policy"]

    assert not re.search(r"https?:|\*|//", policy), policy


def test_settings_point_only_at_this_machine_by_default():
    """Every URL or host in the settings is loopback unless the deployment says otherwise."""
    hosts = []
    for name in dir(settings):
        if not name.isupper():
            continue
        value = getattr(settings, name)
        texts = [value] if isinstance(value, str) else []
        if name in ("DATABASES", "CACHES"):
            texts = [str(v) for conn in value.values() for v in conn.values() if v]
        for text in texts:
            for host in re.findall(r"[a-z][a-z0-9+.-]*://(?:[^@/\s]*@)?([^:/\s'\"]+)", text):
                hosts.append((name, host))
        if name.endswith("_HOST") and isinstance(value, str) and value:
            hosts.append((name, value))

    assert [(n, h) for n, h in hosts if not network_guard.is_local(h)] == []
