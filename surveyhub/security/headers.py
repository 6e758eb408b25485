"""Security headers Django does not set itself.

Framing: no page may be framed by another site, and only the builder's phone preview
(`xframe_options_sameorigin`, shown in an iframe of the builder) by our own pages. The two
headers that say so always agree, page by page: `X-Frame-Options: DENY` (the default,
settings.X_FRAME_OPTIONS) goes with CSP `frame-ancestors 'none'`, `SAMEORIGIN` with
`frame-ancestors 'self'`. Browsers that know CSP obey frame-ancestors, older ones the other.
"""

from django.conf import settings

# Scripts only from our own files (no inline script anywhere, no eval), nothing loaded from
# another host, and no framing (see above). Inline *styles* stay allowed: a few templates set
# widths with style attributes, which cannot run code.
_POLICY = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "frame-ancestors {ancestors}",
    "form-action 'self'",
    "base-uri 'self'",
    "object-src 'none'",
]
FRAME_ANCESTORS = {"DENY": "'none'", "SAMEORIGIN": "'self'"}


def content_security_policy(x_frame_options: str = "DENY") -> str:
    """The policy for a response whose X-Frame-Options is `x_frame_options` (unknown: DENY)."""
    ancestors = FRAME_ANCESTORS.get(x_frame_options.upper(), FRAME_ANCESTORS["DENY"])
    return "; ".join(_POLICY).format(ancestors=ancestors)


CONTENT_SECURITY_POLICY = content_security_policy("DENY")


class ContentSecurityPolicyMiddleware:
    """Adds the Content-Security-Policy header to every response that has none, with the
    frame-ancestors that X-Frame-Options says (set by the view, else the site default that
    XFrameOptionsMiddleware will set). A view exempt from X-Frame-Options gets DENY's
    policy all the same: nothing we serve is meant to be framed by another site."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        framing = response.headers.get("X-Frame-Options") or getattr(
            settings, "X_FRAME_OPTIONS", "DENY"
        )
        response.headers.setdefault("Content-Security-Policy", content_security_policy(framing))
        return response
