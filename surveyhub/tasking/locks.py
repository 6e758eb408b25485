"""SQLite's "database is locked": a reason to try again in a moment, never to give up.

On the embedded default (SQLite) one writer holds the database at a time. Connections wait
for it up to the busy timeout (settings: `timeout`, `transaction_mode=IMMEDIATE`); a write
that still finds it locked is run again here, so a respondent never gets a 500 for it and
the in-process scheduler retries its job on the next tick. PostgreSQL never raises this.
"""

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError, connection

logger = logging.getLogger(__name__)

T = TypeVar("T")

# SQLITE_BUSY and SQLITE_LOCKED as the sqlite3 module words them.
LOCK_MESSAGES = ("database is locked", "database table is locked", "database is busy")


def is_lock_error(error: BaseException) -> bool:
    """True for SQLite's lock errors (a Django OperationalError or the raw sqlite3 one)."""
    seen: BaseException | None = error
    while seen is not None:
        if type(seen).__name__ == "OperationalError" and any(
            text in str(seen).lower() for text in LOCK_MESSAGES
        ):
            return True
        seen = seen.__cause__ or seen.__context__
        if seen is error:
            break
    return False


def retry_when_locked(
    work: Callable[[], T], *, attempts: int = 5, pause: float = 0.2, sleep=time.sleep
) -> T:
    """Run `work()`; when it fails on a locked SQLite database, run it again (up to `attempts`
    times in all, pausing a little longer each time). Only outside a transaction: inside one
    the caller's whole transaction is lost, so the error goes up to whoever began it."""
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except OperationalError as error:
            if attempt == attempts or connection.in_atomic_block or not is_lock_error(error):
                raise
            logger.warning("database locked (attempt %s of %s); trying again", attempt, attempts)
            sleep(pause * attempt * (1 + random.random()))  # noqa: S311 (jitter, not security)
    raise AssertionError("unreachable")  # pragma: no cover
