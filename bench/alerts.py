"""Benchmark the hourly alert check on PostgreSQL.

Builds (once; kept between runs) ``RESPONSES`` completed responses spread over the 12 weeks
before ``TODAY`` and one negative feedback item with a topic for every 10th response, in its
own database ``surveyhub_alerts_bench``. Then times ``alerts_evaluate`` with one rule of each
kind (NPS week over week, CSAT month over month, detractor share, a topic surge over every
topic, an indicator below target) — median of 5 runs, the fired alerts deleted between runs —
beside ``SELECT count(*)`` of the responses of the two compared weeks, measured in the same
run, and prints the ratio. Target: one hourly check ≤ 2 s at 1,000,000 responses.

Run: .venv/bin/python bench/alerts.py [--rebuild] [--smoke] [--database NAME]

``--smoke``: 5,000 responses in ``surveyhub_alerts_bench_smoke`` (re-created each time), one
timed run. Exits non-zero when the NPS rule does not fire (the data are built to drop).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from bench.postgres import setup_django_on  # noqa: E402

RESPONSES = 1_000_000
RUNS = 5
TARGET_S = 2.0
TODAY = dt.date(2026, 11, 18)  # a Wednesday: the compared weeks are 2–8 and 9–15 Nov


def setup_django(database: str, *, rebuild: bool) -> None:
    setup_django_on(database, rebuild=rebuild)


def build(total: int) -> None:
    from zoneinfo import ZoneInfo

    from django.db import connection

    from feedback.models import FeedbackItem, FeedbackTopic, Topic
    from surveys.models import Response, ResponseStatus
    from tests.factories import published_survey

    if Response.objects.exists():
        return
    zone = ZoneInfo("Asia/Shanghai")
    survey = published_survey(consent_text="", slug="alerts-bench")
    topics = [Topic.objects.create(key=f"t{i}", name=f"话题{i}") for i in range(20)]
    start = dt.datetime.combine(TODAY - dt.timedelta(days=84), dt.time(8), tzinfo=zone)
    last_week = dt.datetime.combine(dt.date(2026, 11, 9), dt.time(0), tzinfo=zone)
    batch, items = [], []
    for n in range(total):
        moment = start + dt.timedelta(seconds=(84 * 86400 * n) // total)
        worse = moment >= last_week
        score = (n * 7) % 11 if not worse else (n * 3) % 9  # last week: fewer 9–10s
        batch.append(Response(
            survey=survey, version=survey.current_version, channel="link",
            status=ResponseStatus.COMPLETED, completed_at=moment, nps_score=score,
            csat_score=1 + n % 5,
        ))  # fmt: skip
        if n % 10 == 0:
            items.append((moment, topics[(n // 10) % (3 if worse else 20)]))
        if len(batch) == 20_000:
            Response.objects.bulk_create(batch)
            batch = []
    Response.objects.bulk_create(batch)
    made = FeedbackItem.objects.bulk_create(
        FeedbackItem(text="退款太慢", source="api", created_at=m, sentiment_label="negative",
                     sentiment_score=0.1) for m, _t in items
    )  # fmt: skip
    FeedbackTopic.objects.bulk_create(
        FeedbackTopic(item=item, topic=topic, weight=1.0)
        for item, (_m, topic) in zip(made, items, strict=True)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def rules() -> None:
    from analytics.models import AlertRule

    AlertRule.objects.all().delete()
    for kind, window, threshold in (
        ("nps_drop", "week", 5), ("csat_drop", "month", 5), ("detractor_share", "week", 30),
        ("topic_surge", "week", 2), ("below_target", "month", None),
    ):  # fmt: skip
        AlertRule.objects.create(name=kind, kind=kind, window=window, threshold=threshold,
                                 email_managers=False)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--database")
    args = parser.parse_args()
    database = args.database or (
        "surveyhub_alerts_bench_smoke" if args.smoke else "surveyhub_alerts_bench"
    )
    setup_django(database, rebuild=args.rebuild or args.smoke)
    total, runs = (5_000, 1) if args.smoke else (RESPONSES, RUNS)
    began = time.perf_counter()
    build(total)
    print(f"data: {total:,} responses ready in {time.perf_counter() - began:.1f} s")
    rules()

    from django.db import connection

    from analytics.alerts.services import alerts_evaluate
    from analytics.models import Alert

    def reference() -> float:
        began = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM surveys_response WHERE status = 'completed' AND "
                "completed_at >= %s AND completed_at < %s",
                ["2026-11-01T16:00:00Z", "2026-11-15T16:00:00Z"],
            )
        return time.perf_counter() - began

    checks, counts, fired = [], [], []
    for _ in range(runs + 1):  # the first is a warm-up
        Alert.objects.all().delete()
        counts.append(reference())
        began = time.perf_counter()
        fired = alerts_evaluate(today=TODAY)
        checks.append(time.perf_counter() - began)
    check_s, count_s = (
        statistics.median(checks[1:] or checks),
        statistics.median(counts[1:] or counts),
    )
    kinds = sorted({a.rule.kind for a in fired})
    verdict = "met" if check_s <= TARGET_S else "MISSED"
    print(
        f"alerts_evaluate (5 rules): {check_s * 1000:.0f} ms median of {runs}; "
        f"SELECT count(*) of the two weeks: {count_s * 1000:.1f} ms; "
        f"ratio {check_s / count_s:.1f}×; target ≤ {TARGET_S:.0f} s: {verdict}"
    )
    print(f"fired: {', '.join(kinds) or 'nothing'}")
    if "nps_drop" not in kinds:
        print("WRONG: the NPS drop built into the data did not fire", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
