"""Fixtures of the security tests: rate limits counted from a clean slate, a movable clock."""

import pytest

from surveyhub.security import ratelimit


@pytest.fixture(autouse=True)
def _fresh_rate_limits(monkeypatch):
    """Counters start empty (the root conftest clears the cache) and a cache outage seen by an
    earlier test does not leave the limits paused."""
    monkeypatch.setattr(ratelimit, "_cache_down_until", 0.0)


@pytest.fixture
def clock(monkeypatch):
    """The rate limiter's clock, at the start of a window; `clock.advance(seconds)` moves it."""

    class Clock:
        now = 1_800_000_000.0  # a multiple of 60: the start of a window

        def advance(self, seconds: float) -> None:
            self.now += seconds

    instance = Clock()
    monkeypatch.setattr(ratelimit, "_clock", lambda: instance.now)
    return instance


@pytest.fixture
def world(settings, tmp_path, django_capture_on_commit_callbacks):
    """Payloads in every field that staff, respondents or emails see (see poisoned.py)."""
    from tests.security.poisoned import build_world

    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world(django_capture_on_commit_callbacks)
