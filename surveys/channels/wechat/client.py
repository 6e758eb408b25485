"""The WeChat official account, through `wechatpy` (pinned in requirements.txt).

Configured by SURVEYHUB_WECHAT_APP_ID / _APP_SECRET; the API and OAuth base URLs are
settings too (WeChat's by default), so tests run against a local fake of WeChat. The
access_token and jsapi_ticket are cached in Django's cache (Redis in production: shared by
every worker, so the daily call quota is not spent per process) until shortly before they
expire.
"""

from django.conf import settings
from django.core.cache import cache
from wechatpy import WeChatClient
from wechatpy.oauth import WeChatOAuth
from wechatpy.session import SessionStorage

CACHE_PREFIX = "wechat:"
# WeChat's documented addresses, when the settings name none (tests name a local fake).
WECHAT_API_URL = "https://api.weixin.qq.com/"
WECHAT_OAUTH_URL = "https://open.weixin.qq.com/connect/"


def wechat_configured() -> bool:
    return bool(settings.SURVEYHUB_WECHAT_APP_ID and settings.SURVEYHUB_WECHAT_APP_SECRET)


class DjangoCacheStorage(SessionStorage):
    """wechatpy's token store on Django's cache."""

    def get(self, key, default=None):
        return cache.get(CACHE_PREFIX + key, default)

    def set(self, key, value, ttl=None):
        # A token is refreshed a minute early, so no request uses one about to expire.
        cache.set(CACHE_PREFIX + key, value, None if ttl is None else max(int(ttl) - 60, 1))

    def delete(self, key):
        cache.delete(CACHE_PREFIX + key)


def _api_base() -> str:
    return (settings.SURVEYHUB_WECHAT_API_URL or WECHAT_API_URL).rstrip("/") + "/"


class ConfiguredClient(WeChatClient):
    """wechatpy's client with the token URL under the configured base (wechatpy hard-codes
    WeChat's host there)."""

    def fetch_access_token(self):
        return self._fetch_access_token(
            url=self.API_BASE_URL + "token",
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
        )


def wechat_client() -> WeChatClient:
    client = ConfiguredClient(
        settings.SURVEYHUB_WECHAT_APP_ID, settings.SURVEYHUB_WECHAT_APP_SECRET,
        session=DjangoCacheStorage(), timeout=5,
    )  # fmt: skip
    client.API_BASE_URL = _api_base() + "cgi-bin/"
    return client


def wechat_oauth(redirect_uri: str, state: str) -> WeChatOAuth:
    """OAuth of the official account, scope snsapi_base: the openid only, no prompt."""
    oauth = WeChatOAuth(
        settings.SURVEYHUB_WECHAT_APP_ID, settings.SURVEYHUB_WECHAT_APP_SECRET,
        redirect_uri, scope="snsapi_base", state=state,
    )  # fmt: skip
    oauth.API_BASE_URL = _api_base()
    base = settings.SURVEYHUB_WECHAT_OAUTH_URL or WECHAT_OAUTH_URL
    oauth.OAUTH_BASE_URL = base.rstrip("/") + "/"
    return oauth
