"""The day bitmaps of a survey's results pre-aggregate (`ResultDayBits`, PostgreSQL only),
computed from its facts with numpy: per local day, the day's aggregated responses in one
order, and per facet (a channel, store, region, version, distribution, NPS group, customer
segment, "code:<n>" — counts code n — or "flags:<m>" — exactly the quality flags m) the bit
string of the responses carrying it. Days on which nobody carries a facet have no row.

A filter on two facets or more is then, per day, the AND of each facet's bitmap (the OR of
a few for "NPS 0–6" or two segments), and each count one popcount of that AND with a code's
bitmap (`cube_read.bit_counts`): some 25,000 popcounts of a few hundred bytes for a million
responses over a year, where the facts needed a scan of the million rows and the unnest of
every matching response's codes.

A bit says "carries", not "how many times": a response counting a code twice (two equal
options in one answer) would be counted once, so then the survey gets no bitmaps
(`ResultCube.day_bits` false) and such filters scan the facts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
from django.db import connection

from surveys.results.cube_cells import DIMENSIONS, EPOCH, Facts, _escape

ONE, ZERO = ord("1"), ord("0")


def repeats_a_code(facts: Facts) -> bool:
    """Whether any response carries one of its codes more than once."""
    if not facts.n:
        return False
    width = int(facts.flat.max()) + 1
    pairs = facts.owner.astype(np.int64) * width + facts.flat
    return np.unique(pairs).size != pairs.size


def bit_lines(facts: Facts, survey_id: int) -> Iterator[str]:
    """The bitmaps as COPY text lines (survey, facet, day, bits), facet by facet."""
    if not facts.n:
        return
    order = np.argsort(facts.days, kind="stable")
    days = facts.days[order]
    firsts = np.flatnonzero(np.r_[True, days[1:] != days[:-1]])
    ends = np.r_[firsts[1:], facts.n]
    day_text = [(EPOCH + dt.timedelta(days=int(days[i]))).isoformat() for i in firsts]

    def lines(facet: str, has: np.ndarray) -> Iterator[str]:
        ordered = has[order]
        if not ordered.any():
            return
        carried = np.add.reduceat(ordered.astype(np.int64), firsts) > 0
        text = np.where(ordered, ONE, ZERO).astype(np.uint8).tobytes().decode("ascii")
        name = _escape(facet)
        for i in np.flatnonzero(carried).tolist():
            yield f"{survey_id}\t{name}\t{day_text[i]}\t{text[firsts[i] : ends[i]]}\n"

    for d in range(DIMENSIONS):
        column = facts.dims[:, d]
        for facet_id in np.unique(column[column >= 0]).tolist():
            yield from lines(facts.names[facet_id], column == facet_id)
    for flags in np.unique(facts.flags).tolist():
        yield from lines(f"flags:{flags}", facts.flags == flags)
    by_code = np.argsort(facts.flat, kind="stable")
    codes = facts.flat[by_code]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    stops = np.r_[starts[1:], codes.size]
    for start, stop in zip(starts.tolist(), stops.tolist(), strict=True):
        code = int(codes[start])
        if code == 0:  # "a response": every bit; the flags bitmaps count the responses
            continue
        has = np.zeros(facts.n, dtype=bool)
        has[facts.owner[by_code[start:stop]]] = True
        yield from lines(f"code:{code}", has)
    for name, indices in sorted(facts.segments.items()):
        has = np.zeros(facts.n, dtype=bool)
        has[indices] = True
        yield from lines(name, has)


def copy_bits(lines: Iterator[str]) -> None:
    sql = "COPY surveys_resultdaybits (survey_id, facet, day, bits) FROM STDIN"
    with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
        buffer: list[str] = []
        size = 0
        for line in lines:
            buffer.append(line)
            size += len(line)
            if size >= 4_000_000:
                copy.write("".join(buffer))
                buffer.clear()
                size = 0
        if buffer:
            copy.write("".join(buffer))


def write_bits(facts: Facts, survey_id: int, *, since: int | None = None) -> bool:
    """Replace the survey's bitmaps (of the days from `since`, days since 1970, when given:
    `facts` are then every fact of those days) with those of `facts`. Returns whether the
    bitmaps are complete: False — and none kept — when a response repeats a code."""
    with connection.cursor() as cursor:
        if since is None or repeats_a_code(facts):
            cursor.execute("DELETE FROM surveys_resultdaybits WHERE survey_id = %s", [survey_id])
        else:
            cursor.execute(
                "DELETE FROM surveys_resultdaybits WHERE survey_id = %s AND day >= %s",
                [survey_id, EPOCH + dt.timedelta(days=since)],
            )
    if repeats_a_code(facts):
        return False
    copy_bits(bit_lines(facts, survey_id))
    return True
