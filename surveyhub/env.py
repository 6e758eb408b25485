"""Tiny, strict readers for settings that come from environment variables.

A malformed value raises ImproperlyConfigured at start-up rather than silently
falling back to a default: a typo in production must not turn DEBUG on.
"""

import datetime as dt
import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use 1/0, true/false, yes/no.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_dates(name: str) -> list[dt.date]:
    """Comma-separated ISO dates ("2026-10-01,2026-10-02"); none when unset."""
    dates = []
    for item in env_list(name, []):
        try:
            dates.append(dt.date.fromisoformat(item))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {item!r} is not a date; write dates like 2026-10-01, comma-separated."
            ) from None
    return dates
