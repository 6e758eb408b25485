"""Rate limits at their edges: the Nth request passes and the N+1th waits, window by window."""

import hashlib

import pytest
from django.core.cache import caches
from django.test import RequestFactory

from surveyhub.security import ratelimit
from surveyhub.security.ratelimit import (
    Budget,
    budgets_for,
    cache_count,
    client_ip,
    device_id,
    request_address,
    retry_after,
)

DEVICE_META = "HTTP_X_DEVICE_ID"
# 20 s into a minute window (a multiple of 60 plus 20).
T0 = 1_800_000_000.0 - (1_800_000_000.0 % 60) + 20


@pytest.fixture(autouse=True)
def _local_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.SURVEYHUB_RATELIMIT_ENABLED = True
    caches["default"].clear()
    ratelimit._cache_down_until = 0.0
    yield
    ratelimit._cache_down_until = 0.0


def _request(address="203.0.113.7", **meta):
    return RequestFactory().get("/", REMOTE_ADDR=address, **meta)


def test_the_nth_request_passes_and_the_next_one_waits_for_the_window():
    budget = [Budget("device", "phone-0001", 3)]

    assert [retry_after(budget, now=T0) for _ in range(3)] == [None, None, None]
    # 20 s into the window: 40 s to wait.
    assert retry_after(budget, now=T0) == 40


def test_a_new_minute_starts_a_new_count():
    budget = [Budget("device", "phone-0002", 1)]

    assert retry_after(budget, now=T0) is None
    assert retry_after(budget, now=T0 + 39) == 1
    assert retry_after(budget, now=T0 + 40) is None  # the next window began


def test_the_wait_is_at_least_one_second():
    budget = [Budget("device", "phone-0003", 1)]
    end_of_window = T0 + 39.5

    retry_after(budget, now=end_of_window)

    assert retry_after(budget, now=end_of_window) == 1


def test_any_spent_budget_makes_the_request_wait():
    device = Budget("device", "phone-0004", 100)
    ip = Budget("ip", "198.51.100.1", 1)

    assert retry_after([device, ip], now=T0) is None
    assert retry_after([device, ip], now=T0) == 40


def test_budgets_of_different_names_or_identities_count_apart():
    assert retry_after([Budget("device", "a-device-1", 1)], now=T0) is None
    assert retry_after([Budget("device", "b-device-1", 1)], now=T0) is None
    assert retry_after([Budget("token", "a-device-1", 1)], now=T0) is None


def test_disabled_limits_or_no_budgets_never_wait(settings):
    assert retry_after([], now=T0) is None
    settings.SURVEYHUB_RATELIMIT_ENABLED = False
    budget = [Budget("device", "phone-0005", 1)]

    assert [retry_after(budget, now=T0) for _ in range(3)] == [None, None, None]


def test_a_failing_cache_pauses_counting_for_30_seconds_then_counts_again(monkeypatch):
    budget = [Budget("device", "phone-0006", 1)]

    def broken(keys):
        raise ConnectionError("cache down")

    with monkeypatch.context() as patch:
        patch.setattr(ratelimit, "_increment", broken)
        assert retry_after(budget, now=T0) is None
    # Within the pause nothing is counted, so even an empty budget passes.
    assert retry_after(budget, now=T0 + 29) is None
    assert retry_after(budget, now=T0 + 29.5) is None
    assert retry_after(budget, now=T0 + 30) is None
    assert retry_after(budget, now=T0 + 30) == 10  # counted again: 60 − 50


def test_a_counter_starts_at_one_and_counts_up():
    assert cache_count("rl:test:counter", 120) == 1
    assert cache_count("rl:test:counter", 120) == 2


def test_a_submit_counts_against_the_submit_budget_not_the_page_budget(settings):
    settings.SURVEYHUB_RATELIMIT_SUBMIT_PER_MINUTE = 7
    settings.SURVEYHUB_RATELIMIT_DEVICE_PER_MINUTE = 70
    settings.SURVEYHUB_RATELIMIT_IP_PER_MINUTE = 700
    request = _request()

    submit = budgets_for(request, device="phone-0007", submit=True)
    page = budgets_for(request, device="phone-0007")

    assert submit == [Budget("submit", "phone-0007", 7), Budget("ip", "203.0.113.7", 700)]
    assert page == [Budget("device", "phone-0007", 70), Budget("ip", "203.0.113.7", 700)]


def test_an_invitation_is_counted_by_a_digest_of_its_token(settings):
    settings.SURVEYHUB_RATELIMIT_TOKEN_PER_MINUTE = 5
    token = "secret-invitation-token"

    budgets = budgets_for(_request(), device=None, token=token)

    digest = hashlib.sha256(token.encode()).hexdigest()[:32]
    assert budgets[0] == Budget("token", digest, 5)
    assert [b.name for b in budgets] == ["token", "ip"]


@pytest.mark.parametrize(
    ("address", "counted_as"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::"),
        ("::ffff:198.51.100.9", "198.51.100.9"),
        ("not:an:address", "invalid"),
        ("", "unknown"),
    ],
)
def test_client_ip_counts_ipv6_per_64_block(address, counted_as):
    assert client_ip(_request(address)) == counted_as


@pytest.mark.parametrize(
    ("proxies", "forwarded", "address"),
    [
        (0, "1.1.1.1, 2.2.2.2", "10.0.0.1"),
        (1, "1.1.1.1, 2.2.2.2", "2.2.2.2"),
        (2, "1.1.1.1, 2.2.2.2", "1.1.1.1"),
        (2, "2.2.2.2", "10.0.0.1"),  # fewer hops than proxies: the socket's address
        (1, " 1.1.1.1 , , 2.2.2.2 ", "2.2.2.2"),
    ],
)
def test_request_address_trusts_exactly_the_configured_proxies(
    settings, proxies, forwarded, address
):
    settings.SURVEYHUB_TRUSTED_PROXIES = proxies
    request = _request("10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    assert request_address(request) == address


@pytest.mark.parametrize(
    ("header", "accepted"),
    [("a" * 8, True), ("a" * 7, False), ("a" * 64, True), ("a" * 65, False), ("ab cd efgh", False)],
)
def test_device_header_length_and_characters(header, accepted):
    assert (device_id(_request(**{DEVICE_META: header})) == header) is accepted
