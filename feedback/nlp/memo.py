"""Bounded memo tables for pure per-word and per-clause results, and a way to empty them.

A worker meets a vocabulary that keeps growing; each table empties itself when it reaches
its limit, so memory stays bounded whatever the input. ``clear_all`` empties every table
(and the ``functools`` caches registered here): benchmarks start cold with it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_TABLES: list[Any] = []


class BoundedMemo(dict):
    """key → ``compute(key)``, computed on first sight (or ``store``d by the caller when
    ``compute`` is None); emptied when ``limit`` is reached."""

    def __init__(self, compute: Callable[[Any], Any] | None, limit: int) -> None:
        super().__init__()
        self.compute = compute
        self.limit = limit
        _TABLES.append(self)

    def __missing__(self, key: Any) -> Any:
        compute = self.compute
        if compute is None:
            raise KeyError(key)
        value = compute(key)
        # ``store``, inlined: misses are frequent while a worker meets new words.
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value

    def store(self, key: Any, value: Any) -> Any:
        """Remember ``value`` for ``key`` (emptying the table first if full); returns it."""
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value


def register(cached: Any) -> Any:
    """Register an ``lru_cache``-wrapped function (or any object with ``cache_clear``)."""
    _TABLES.append(cached)
    return cached


def clear_all() -> None:
    """Empty every memo table and registered cache of this process."""
    for table in _TABLES:
        if isinstance(table, dict):
            table.clear()
        else:
            table.cache_clear()
