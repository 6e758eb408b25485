"""What a respondent over the limit gets, who is counted, and how the counters behave on a
cache without Redis.

The 429 page of a refused POST carries the typed answers back in a form that works (a fresh
CSRF token, the same address with its query string, the button that was pressed, never an
autosave); the device cookie is Secure over HTTPS; a signed cookie that is no device id, a
request without an address or without X-Forwarded-For behind a proxy are counted as they
should be; a cache failure is logged once with its error; the counters of any cache expire
with their window, also when a counter expired between being created and being counted.
"""

import datetime as dt
import logging
import re
import time
import uuid
from datetime import timedelta

import pytest
from django.core import signing
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client, RequestFactory
from django.utils import timezone

from surveyhub.security import ratelimit
from surveyhub.security.ratelimit import (
    DEVICE_COOKIE,
    DEVICE_COOKIE_SALT,
    WINDOW_SECONDS,
    Budget,
    cache_count,
    client_ip,
    device_id,
    request_address,
    retry_after,
)
from surveyhub.security.shared_cache import TABLE
from tests.factories import published_survey

pytestmark = pytest.mark.django_db

CSRF_INPUT = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">')


@pytest.fixture
def over_the_limit(settings, clock):
    """A phone (with its device cookie) that has spent its one page a minute on a survey."""
    settings.SURVEYHUB_RATELIMIT_DEVICE_PER_MINUTE = 1
    survey = published_survey(consent_text="")
    phone = Client()
    url = f"/s/{survey.slug}/"
    phone.get(url)  # the device cookie (counted for the IP only)
    assert phone.get(url).status_code == 200  # the one request of this minute
    return phone, url


def test_a_refused_post_gives_a_form_that_posts_the_answers_again_to_the_same_address(
    over_the_limit,
):
    phone, url = over_the_limit
    address = f"{url}?from=poster"

    refused = phone.post(
        address,
        {
            "page": "0",
            "rk": str(uuid.uuid4()),
            "nps": "8",
            "csrfmiddlewaretoken": "the-token-of-the-old-page",
            "action": "next",
        },
    )

    assert refused.status_code == 429
    html = refused.content.decode()
    assert f'<form method="post" action="{address}">' in html
    assert 'name="nps" value="8"' in html
    assert 'name="page" value="0"' in html
    # The old token is not sent back as an answer; the form has a fresh one of its own.
    assert "the-token-of-the-old-page" not in html
    (token,) = CSRF_INPUT.findall(html)
    assert token
    # The pressed button is the form's only "action", not a hidden copy of it.
    assert html.count('name="action"') == 1
    assert '<button type="submit" name="action" value="next">' in html


def test_a_refused_submit_keeps_its_button(over_the_limit):
    phone, url = over_the_limit

    refused = phone.post(url, {"page": "1", "comment": "还行", "action": "submit"})

    assert refused.status_code == 429
    assert '<button type="submit" name="action" value="submit">' in refused.content.decode()


def test_a_refused_autosave_offers_the_next_button_instead(over_the_limit):
    phone, url = over_the_limit

    refused = phone.post(url, {"page": "0", "nps": "4", "action": "autosave"})

    assert refused.status_code == 429
    html = refused.content.decode()
    assert '<button type="submit" name="action" value="next">' in html
    assert "autosave" not in html


def test_a_refused_post_without_a_button_offers_next(over_the_limit):
    phone, url = over_the_limit

    refused = phone.post(url, {"page": "0", "nps": "4"})

    assert '<button type="submit" name="action" value="next">' in refused.content.decode()


def test_a_refused_page_links_to_the_same_address_and_is_never_cached(over_the_limit):
    phone, url = over_the_limit

    refused = phone.get(f"{url}?from=qr")

    assert refused.status_code == 429
    html = refused.content.decode()
    assert f'<a href="{url}?from=qr">' in html
    assert "<form" not in html
    assert refused["Retry-After"] == "60"
    assert "no-cache" in refused["Cache-Control"]
    assert "max-age=0" in refused["Cache-Control"]


def test_the_device_cookie_is_secure_over_https_only(settings):
    survey = published_survey(consent_text="")

    over_https = Client().get(f"/s/{survey.slug}/", secure=True)
    over_http = Client().get(f"/s/{survey.slug}/")

    assert over_https.cookies[DEVICE_COOKIE]["secure"] is True
    assert not over_http.cookies[DEVICE_COOKIE]["secure"]


# The counters on a cache without Redis (the database cache, or memory) ----------------------


@pytest.fixture
def memory_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache = caches["default"]
    cache.clear()
    return cache


def test_a_counter_expires_with_its_window(memory_cache):
    assert cache_count("rl:test:short", 1) == 1
    assert cache_count("rl:test:short", 1) == 2
    assert memory_cache.get("rl:test:short") == 2

    time.sleep(1.2)

    assert memory_cache.get("rl:test:short") is None
    assert cache_count("rl:test:short", 1) == 1


class _ExpiresBeforeTheCount(LocMemCache):
    """A cache whose counter expires between `add` and `incr`, once (a counter created at
    the very end of its window)."""

    expire_next_incr = True

    def incr(self, key, delta=1, version=None):
        if self.expire_next_incr:
            self.expire_next_incr = False
            self.delete(key, version=version)
        return super().incr(key, delta, version)


def test_a_counter_that_expired_before_it_was_counted_starts_again_at_one():
    cache = _ExpiresBeforeTheCount("rl-expiring", {})
    cache.clear()

    assert cache_count("rl:test:edge", 1, cache=cache) == 1
    assert cache.get("rl:test:edge") == 1  # stored again, so the next request counts 2
    assert cache_count("rl:test:edge", 1, cache=cache) == 2

    time.sleep(1.2)  # and it was stored with its expiry

    assert cache.get("rl:test:edge") is None


def test_a_counter_in_the_shared_database_expires_after_two_windows(settings):
    from django.db import connection

    settings.CACHES = {
        "default": {
            "BACKEND": "surveyhub.security.shared_cache.SharedDatabaseCache",
            "LOCATION": TABLE,
        }
    }
    caches["default"].clear()
    before = timezone.now()

    assert retry_after([Budget("device", "phone-expiry", 5)]) is None

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT expires FROM {TABLE}")  # noqa: S608 (a constant)
        (expires,) = cursor.fetchone()
    if isinstance(expires, str):  # SQLite without a converter
        expires = dt.datetime.fromisoformat(expires)
    if timezone.is_naive(expires):
        expires = timezone.make_aware(expires, dt.UTC)
    window = timedelta(seconds=WINDOW_SECONDS)
    assert before + 2 * window - timedelta(seconds=2) <= expires <= timezone.now() + 2 * window


# Who is counted ----------------------------------------------------------------------------


def test_a_signed_cookie_that_is_no_device_id_is_ignored():
    request = RequestFactory().get("/")
    signer = signing.get_cookie_signer(salt=DEVICE_COOKIE + DEVICE_COOKIE_SALT)
    request.COOKIES[DEVICE_COOKIE] = signer.sign("short")

    assert device_id(request) is None
    request.COOKIES[DEVICE_COOKIE] = signer.sign("a-device-12345")
    assert device_id(request) == "a-device-12345"


def test_a_request_without_an_address_is_counted_as_unknown(settings):
    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]

    assert request_address(request) == ""
    assert client_ip(request) == "unknown"
    settings.SURVEYHUB_TRUSTED_PROXIES = 1
    assert client_ip(request) == "unknown"


def test_behind_a_proxy_a_request_without_forwarded_for_is_counted_by_its_socket(settings):
    settings.SURVEYHUB_TRUSTED_PROXIES = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9")

    assert request_address(request) == "10.0.0.9"


def test_a_cache_failure_is_logged_once_with_the_pause_and_the_error(monkeypatch, caplog):
    def broken(keys):
        raise ConnectionError("cache down")

    monkeypatch.setattr(ratelimit, "_increment", broken)

    with caplog.at_level(logging.WARNING, logger="surveyhub.security.ratelimit"):
        assert retry_after([Budget("device", "phone-down", 1)], now=1_800_000_000.0) is None
        assert retry_after([Budget("device", "phone-down", 1)], now=1_800_000_001.0) is None

    (record,) = caplog.records
    assert record.getMessage() == "rate limits skipped for 30s: the cache failed"
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], ConnectionError)
