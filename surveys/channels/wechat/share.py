"""What WeChat shows when a survey link is shared: the share card (title, description, cover)
as meta tags every crawler reads, and — inside WeChat, with an official account configured —
the JS-SDK config signed on the server (sha1 over jsapi_ticket, noncestr, timestamp, url, as
WeChat documents) so the page can set the card itself."""

import logging
import secrets
import time

from django.conf import settings
from django.templatetags.static import static
from django.utils.translation import gettext as _
from wechatpy.exceptions import WeChatException
from wechatpy.utils import WeChatSigner

from surveys.channels.wechat.client import wechat_client, wechat_configured
from surveys.distribution.links import survey_public_url

logger = logging.getLogger(__name__)

DESCRIPTION_LENGTH = 60


def in_wechat(request) -> bool:
    return "micromessenger" in request.headers.get("User-Agent", "").lower()


def jsapi_signature(*, ticket: str, noncestr: str, timestamp: int, url: str) -> str:
    """WeChat's JS-SDK signature: the four fields sorted by name, joined as key=value with &,
    sha1 in hex (the URL without its #fragment)."""
    signer = WeChatSigner(delimiter=b"&")
    signer.add_data(
        f"jsapi_ticket={ticket}", f"noncestr={noncestr}", f"timestamp={timestamp}",
        f"url={url.split('#')[0]}",
    )  # fmt: skip
    return signer.signature


def jssdk_config(url: str) -> dict | None:
    """wx.config's values for the page at `url`; None when WeChat cannot be reached (the page
    still works, only the share card falls back to the meta tags)."""
    client = wechat_client()
    try:
        ticket = client.jsapi.get_jsapi_ticket()
    except (WeChatException, OSError) as exc:
        logger.warning("no jsapi_ticket from WeChat: %s", exc)
        return None
    noncestr, timestamp = secrets.token_urlsafe(12), int(time.time())
    return {
        "appId": client.appid, "timestamp": timestamp, "nonceStr": noncestr,
        "signature": jsapi_signature(ticket=ticket, noncestr=noncestr, timestamp=timestamp,
                                     url=url),
    }  # fmt: skip


def share_card(request, survey, *, title: str, intro: str, look) -> dict:
    """The share card of a respondent page (absolute URLs, as WeChat requires)."""
    description = " ".join((intro or "").split())[:DESCRIPTION_LENGTH] or _(
        "A short survey: your answers help us serve you better."
    )
    image = look.cover or look.logo or static("surveys/favicon.ico")
    # What is shared is the survey's public link, never this page's address: an invitation's
    # personal token or hidden fields from the link (?order=…) must not travel with a share.
    card = {
        "title": title, "description": description,
        "image": settings.SITE_URL + image, "url": survey_public_url(survey, channel="wechat"),
    }  # fmt: skip
    if in_wechat(request) and wechat_configured():
        # The JS-SDK signs the address of this very page (WeChat checks it), query included.
        config = jssdk_config(settings.SITE_URL + request.get_full_path())
        if config:
            card["jssdk"] = {**config, "sdk": static("vendor/weixin-js-sdk/index.js"),
                             "title": title, "desc": description, "link": card["url"],
                             "imgUrl": card["image"]}  # fmt: skip
    return card
