"""The rate-limit counters on the production cache, Redis: atomic, one round trip, expiring."""

import os
import threading

import pytest
from django.core.cache import caches

from surveyhub.security import ratelimit
from surveyhub.security.ratelimit import Budget

pytestmark = pytest.mark.services


@pytest.fixture
def redis_cache(settings):
    """The configured Redis cache (CI: CACHE_URL), else this machine's Redis, DB 12."""
    url = os.environ.get("CACHE_URL", "")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url if url.startswith("redis://") else "redis://127.0.0.1:6379/12",
            "KEY_PREFIX": "surveyhub-test",
        }
    }
    cache = caches["default"]
    cache.clear()
    yield cache
    cache.clear()


def test_concurrent_requests_never_exceed_the_budget(redis_cache, clock):
    budget = [Budget("device", "phone-1", 25)]
    refused = []

    def hit():
        for _ in range(10):
            refused.append(ratelimit.retry_after(budget) is not None)

    threads = [threading.Thread(target=hit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert refused.count(False) == 25
    assert refused.count(True) == 80 - 25


def test_all_counters_of_a_request_take_one_round_trip_and_expire(redis_cache, clock):
    client = redis_cache._cache.get_client(write=True)
    budgets = [Budget("device", "d1", 5), Budget("token", "t1", 5), Budget("ip", "1.2.3.4", 5)]
    assert ratelimit.retry_after(budgets) is None  # loads the script on the server
    calls = []
    original = type(client).execute_command

    def counting(self, *args, **kwargs):
        calls.append(args[0])
        return original(self, *args, **kwargs)

    type(client).execute_command = counting
    try:
        assert ratelimit.retry_after(budgets) is None
    finally:
        type(client).execute_command = original
    assert calls == ["EVALSHA"]  # one command for the three counters
    keys = client.keys("surveyhub-test:*rl:*")
    assert len(keys) == 3
    assert all(0 < client.ttl(key) <= 2 * ratelimit.WINDOW_SECONDS for key in keys)
