"""Small helpers of the fault tests: what workers wrote in their logs, what the database's
other sessions are doing."""

import re

from django.db import connection

from tests.support import ARTIFACTS

_ANALYSED = re.compile(r"feedback\.analyse_batch \d+ items: \{'analysed': (\d+)")


def worker_log(name: str) -> str:
    return (ARTIFACTS / f"faults-{name}.log").read_text()


def analysed_in_logs(*names: str) -> int:
    """Items the analysis tasks of these workers stored results for (a task run again on an
    item already analysed counts it as already done, not here)."""
    return sum(int(n) for name in names for n in _ANALYSED.findall(worker_log(name)))


def sessions_in_transaction(*query_like: str) -> int:
    """Other sessions of this database idle inside a transaction (e.g. a worker computing
    between its reads and its writes) whose last statement matches one of `query_like`
    (SQL LIKE patterns; none: any statement)."""
    patterns = list(query_like) or ["%"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND state = 'idle in transaction'"
            " AND query LIKE ANY(%s)",
            [patterns],
        )
        return cursor.fetchone()[0]
