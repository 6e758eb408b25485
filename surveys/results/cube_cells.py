"""The cells of a survey's results pre-aggregate computed from its facts with numpy: per
facet (everything, a channel, store, region, version, distribution, NPS group, or a code)
one count of every (day, flags, code) of the responses carrying it. The database would
unnest every response's facets × codes (some 150 million rows for a million responses); here
it is one pass per facet over the flat array of the responses' codes, then one COPY."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
from django.db import connection

EPOCH = dt.date(1970, 1, 1)
CHUNK = 100_000
# Above this many bins a facet's counts are taken by sorting (np.unique), not np.bincount.
BINCOUNT_MAX = 4_000_000

_FACTS = """
SELECT f.day - DATE '1970-01-01', f.flags,
  'channel:' || f.channel,
  CASE WHEN f.store <> '' THEN 'store:' || f.store END,
  CASE WHEN f.region <> '' THEN 'region:' || f.region END,
  'version:' || f.version,
  'distribution:' || f.distribution_id,
  CASE WHEN f.nps_score IS NULL THEN NULL
       WHEN f.nps_score >= %(promoter)s THEN 'nps_group:promoter'
       WHEN f.nps_score >= %(passive)s THEN 'nps_group:passive'
       ELSE 'nps_group:detractor' END,
  array_to_string(f.codes, ','), f.segments
FROM surveys_resultfact f WHERE f.survey_id = %(survey)s
"""
_IN_RANGE = """ AND f.response_id IN (
  SELECT id FROM surveys_response WHERE survey_id = %(survey)s AND status = 'completed'
  AND completed_at >= %(low)s AND completed_at < %(high)s)"""
_SINCE = " AND f.day >= %(since)s"
DIMENSIONS = 6  # channel, store, region, version, distribution, NPS group


class Facts:
    """The facts read into arrays: per response its day, flags and facet ids per dimension;
    the codes of all responses end to end (`flat`) with their response (`owner`)."""

    def __init__(self, rows: Iterator[list[tuple]]):
        self.names: list[str] = ["*"]
        ids: dict[str, int] = {"*": 0}
        # "segment:<key>:<value>" → the responses (indices) of customers in that segment.
        self.segments: dict[str, list[int]] = {}
        offset = 0
        days, flags, dims, flats, lengths = [], [], [], [], []
        for chunk in rows:
            days.append(np.fromiter((r[0] for r in chunk), np.int64, len(chunk)))
            flags.append(np.fromiter((r[1] for r in chunk), np.int64, len(chunk)))
            block = np.full((len(chunk), DIMENSIONS), -1, dtype=np.int64)
            for i, row in enumerate(chunk):
                for d in range(DIMENSIONS):
                    name = row[2 + d]
                    if name is not None:
                        if name not in ids:
                            ids[name] = len(self.names)
                            self.names.append(name)
                        block[i, d] = ids[name]
            dims.append(block)
            texts = [r[2 + DIMENSIONS] for r in chunk]
            lengths.append(np.fromiter((t.count(",") + 1 for t in texts), np.int64, len(chunk)))
            flats.append(np.array(",".join(texts).split(","), dtype=np.int64))
            for i, row in enumerate(chunk):
                for segment in row[3 + DIMENSIONS] or ():
                    self.segments.setdefault(f"segment:{segment}", []).append(offset + i)
            offset += len(chunk)
        self.n = sum(len(d) for d in days)
        if not self.n:
            return
        self.days = np.concatenate(days)
        self.flags = np.concatenate(flags)
        self.dims = np.concatenate(dims)
        self.flat = np.concatenate(flats)
        self.owner = np.repeat(np.arange(self.n), np.concatenate(lengths))


def read_facts(params: dict, *, whole: bool, since: dt.date | None = None) -> Facts:
    """The survey's facts (all of them, or those of the responses completed in range; with
    `since`, only those of the days from then on)."""
    sql = _FACTS + ("" if whole else _IN_RANGE)
    if since is not None:
        sql += _SINCE
        params = {**params, "since": since}
    raw = connection.connection
    with raw.cursor(name="surveys_result_facts") as cursor:
        cursor.execute(sql, params)

        def chunks():
            while rows := cursor.fetchmany(CHUNK):
                yield rows

        return Facts(chunks())


def cell_lines(
    facts: Facts, survey_id: int, facet_codes: list[int], groups: dict[str, list[int]]
) -> Iterator[str]:
    """The cells as COPY text lines (survey, facet, day, flags, code, n), facet by facet:
    everything, each dimension's values, each of `facet_codes`, each of `groups` (facet
    name → codes: the responses counting any of them) and each customer segment."""
    if not facts.n:
        return
    first = int(facts.days.min())
    width = int(facts.flat.max()) + 1
    span = int(facts.days.max()) - first + 1
    base = ((facts.days[facts.owner] - first) * 8 + facts.flags[facts.owner]) * width + facts.flat
    day_text = [(EPOCH + dt.timedelta(days=first + d)).isoformat() for d in range(span)]
    bins = span * 8 * width

    def lines(facet: str, keys: np.ndarray) -> Iterator[str]:
        if bins <= BINCOUNT_MAX:
            counts = np.bincount(keys, minlength=bins)
            found = np.flatnonzero(counts)
            counts = counts[found]
        else:
            found, counts = np.unique(keys, return_counts=True)
        codes, rest = found % width, found // width
        flags, days = rest % 8, rest // 8
        for day, flag, code, n in zip(days.tolist(), flags.tolist(), codes.tolist(),
                                      counts.tolist(), strict=True):  # fmt: skip
            yield f"{survey_id}\t{facet}\t{day_text[day]}\t{flag}\t{code}\t{n}\n"

    yield from lines("*", base)
    for d in range(DIMENSIONS):
        column = facts.dims[:, d]
        for facet_id in np.unique(column[column >= 0]).tolist():
            carrying = (column == facet_id)[facts.owner]
            yield from lines(_escape(facts.names[facet_id]), base[carrying])
    present = set(np.unique(facts.flat).tolist())
    wanted = [(f"code:{code}", [code]) for code in sorted(present & set(facet_codes))]
    wanted += [(name, codes) for name, codes in sorted(groups.items()) if present & set(codes)]
    for name, codes in wanted:
        has = np.zeros(facts.n, dtype=bool)
        has[facts.owner[np.isin(facts.flat, codes)]] = True
        yield from lines(_escape(name), base[has[facts.owner]])
    for name, indices in sorted(facts.segments.items()):
        has = np.zeros(facts.n, dtype=bool)
        has[indices] = True
        yield from lines(_escape(name), base[has[facts.owner]])


def _escape(text: str) -> str:
    """A value in COPY's text format."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_cells(lines: Iterator[str], *, fold: bool) -> None:
    """Write the cells: straight into the table after a rebuild's delete, or added to the
    existing ones through a temporary table when folding."""
    target = "surveys_resultcubecell"
    with connection.cursor() as cursor:
        if fold:
            cursor.execute(
                "CREATE TEMP TABLE result_cells_new (survey_id bigint, facet text, day date,"
                " flags smallint, code integer, n integer) ON COMMIT DROP"
            )
            target = "result_cells_new"
    raw = connection.connection
    with raw.cursor() as cursor:
        columns = "(survey_id, facet, day, flags, code, n)"
        with cursor.copy(f"COPY {target} {columns} FROM STDIN") as copy:
            buffer: list[str] = []
            for line in lines:
                buffer.append(line)
                if len(buffer) >= 50_000:
                    copy.write("".join(buffer))
                    buffer.clear()
            if buffer:
                copy.write("".join(buffer))
    if fold:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO surveys_resultcubecell (survey_id, facet, day, flags, code, n)"
                " SELECT survey_id, facet, day, flags, code, n FROM result_cells_new"
                " ON CONFLICT (survey_id, facet, day, flags, code)"
                " DO UPDATE SET n = surveys_resultcubecell.n + EXCLUDED.n"
            )
            cursor.execute("DROP TABLE result_cells_new")
