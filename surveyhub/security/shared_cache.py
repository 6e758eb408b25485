"""The database as the shared cache, when there is no Redis (no CACHE_URL) and DEBUG is off.

The rate limits and the log-in throttle count in the cache. Per-process memory would give
each gunicorn worker its own counters, so with 4 workers a limit of 5 becomes up to 20; the
database is shared by every worker and machine. Django's DatabaseCache stores the entries;
this subclass makes `incr` atomic (Django's reads and writes back, so two workers counting
at once lose a count) and keeps the entry's expiry (Django's resets it to the default
timeout, which would shorten the log-in throttle's 15-minute window to 5).

The table is `TABLE`, created by the migration `surveyhub/0003_shared_cache_table` whatever
the cache settings (so it is there the day CACHE_URL is removed). Redis stays the cache to
use under load: every count here is a few statements in the database.
"""

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from django.utils.timezone import now as tz_now

TABLE = "surveyhub_cache"  # CACHES["default"]["LOCATION"] in the settings


class SharedDatabaseCache(DatabaseCache):
    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table, cache_key, value, expires = (
            quote(self._table), quote("cache_key"), quote("value"), quote("expires"),
        )  # fmt: skip
        now = connection.ops.adapt_datetimefield_value(tz_now().replace(microsecond=0))
        with transaction.atomic(using=db), connection.cursor() as cursor:
            # A write first: it takes the row's lock (PostgreSQL) or the database's write lock
            # (SQLite) before the read, so two workers never read the same count.
            cursor.execute(
                f"UPDATE {table} SET {expires} = {expires} "  # noqa: S608 (quoted names)
                f"WHERE {cache_key} = %s AND {expires} > %s",
                [key, now],
            )
            if cursor.rowcount != 1:
                raise ValueError(f"Key '{key}' not found.")
            cursor.execute(f"SELECT {value} FROM {table} WHERE {cache_key} = %s", [key])  # noqa: S608
            stored = connection.ops.process_clob(cursor.fetchone()[0])
            count = pickle.loads(base64.b64decode(stored.encode())) + delta  # noqa: S301 (ours)
            pickled = base64.b64encode(pickle.dumps(count, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {value} = %s WHERE {cache_key} = %s",  # noqa: S608
                [pickled, key],
            )
        return count
