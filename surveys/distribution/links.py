"""Public links of a survey and their QR codes (SVG for print, PNG for WeChat and slides).

A link may carry a channel tag and a store code (`/s/<slug>/?c=wechat&store=SH01`); the
respondent page stores both on the response. A QR code is tagged `c=qr` unless told
otherwise, so answers from printed codes can be told apart.
"""

import io
import re
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from surveyhub.api.errors import DomainError
from surveys.models import Survey

LINK_CHANNELS = ("link", "qr", "wechat")
STORE_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
QR_KINDS = {"svg": "image/svg+xml", "png": "image/png"}


class LinkError(DomainError, ValueError):
    """A channel tag or store code that cannot go into a link; the message says why."""


def link_params(*, channel: str | None = None, store: str | None = None) -> dict[str, str]:
    """Validated query parameters for a survey link (empty values are left out)."""
    params = {}
    if channel:
        if channel not in LINK_CHANNELS:
            raise LinkError(
                _("Unknown channel tag (c); expected one of: %(choices)s.")
                % {"choices": ", ".join(LINK_CHANNELS)}
            )
        params["c"] = channel
    if store:
        if not STORE_RE.match(store):
            raise LinkError(_("A store code has 1–64 letters, digits, “-” or “_” (e.g. SH01)."))
        params["store"] = store
    return params


def _with_params(url: str, params: dict[str, str]) -> str:
    return f"{url}?{urlencode(params)}" if params else url


def survey_public_url(
    survey: Survey, *, channel: str | None = None, store: str | None = None
) -> str:
    """The absolute public link of a survey, optionally tagged with a channel and a store."""
    path = reverse("respond-link", kwargs={"slug": survey.slug})
    return _with_params(f"{settings.SITE_URL}{path}", link_params(channel=channel, store=store))


def survey_qr_url(
    survey: Survey, kind: str, *, channel: str | None = None, store: str | None = None
) -> str:
    """The absolute address of the survey's QR code image (`kind` is svg or png)."""
    path = reverse(f"survey-qr-{kind}", kwargs={"slug": survey.slug})
    return _with_params(f"{settings.SITE_URL}{path}", link_params(channel=channel, store=store))


def qr_image(url: str, kind: str) -> bytes:
    """The QR code of `url` as SVG or PNG bytes (error correction M: survives a crease)."""
    code = segno.make(url, error="m", micro=False)
    buffer = io.BytesIO()
    if kind == "svg":
        code.save(buffer, kind="svg", scale=8, border=4, xmldecl=False, svgclass=None,
                  lineclass=None, title=url)  # fmt: skip
    else:
        code.save(buffer, kind="png", scale=10, border=4)
    return buffer.getvalue()


def survey_qr_image(survey: Survey, kind: str, *, channel: str | None, store: str | None) -> bytes:
    """The QR code of the survey's public link; untagged codes are tagged `c=qr`."""
    return qr_image(survey_public_url(survey, channel=channel or "qr", store=store), kind)
