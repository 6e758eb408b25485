"""Benchmark the evaluation queries and the CLV fit on PostgreSQL at dashboard scale.

Generates (once; kept between runs) 100,000 customers, 1,000,000 completed responses over two
years and 1,000,000 purchases in the database ``surveyhub_eval_bench`` with INSERT … SELECT
generate_series, then prints:

1. the median of 3 runs of every summary / trend / breakdown query the dashboard and the API
   use (target ≤ 300 ms each), with the plain ``SELECT count(*)`` of the same rows as the
   reference measured in this run;
2. RFM + CLV fit (narrow read of 1,000,000 purchases, summary, BG/NBD + Gamma-Gamma, RFM,
   tiers, 100,000 CustomerValue rows written) — target ≤ 30 s.

Run: .venv/bin/python bench/analytics.py [--rebuild] [--smoke]

``--smoke``: 300 customers, 3,000 responses and purchases, one timed run per query, in its own
database ``surveyhub_eval_bench_smoke`` (re-created each time, so the kept data set is left
alone). Either way it exits non-zero on an error or a wrong count (rows generated, customers
in the CLV run, NPS answers in the summary and the trend).
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

DATABASE = "surveyhub_eval_bench"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
CUSTOMERS = 100_000
RESPONSES = 1_000_000
PURCHASES = 1_000_000
RUNS = 3  # timed runs per query (median)
QUERY_TARGET_MS = 300.0
CLV_TARGET_S = 30.0
TODAY = dt.date(2026, 11, 24)


def configure(*, smoke: bool) -> None:
    """--smoke: a tiny data set in a database of its own, one timed run per query."""
    global DATABASE, DATABASE_URL, CUSTOMERS, RESPONSES, PURCHASES, RUNS
    if smoke:
        DATABASE = f"{DATABASE}_smoke"
        DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
        CUSTOMERS, RESPONSES, PURCHASES, RUNS = 300, 3_000, 3_000, 1


def check(condition: bool, message: str) -> None:
    """A wrong result stops the bench with a non-zero exit (and the smoke run with it)."""
    if not condition:
        raise SystemExit(f"bench check failed: {message}")


def setup_django(rebuild: bool) -> None:
    setup_django_on(DATABASE, rebuild=rebuild)


def generate() -> None:
    """Customers, one survey, responses and purchases — skipped when already there."""
    from django.db import connection

    from analytics.models import Purchase
    from surveys.models import Response
    from tests.factories import published_survey

    if Response.objects.count() >= RESPONSES:
        print(f"data: reusing {RESPONSES:,} responses in {DATABASE}")
        return
    started = time.perf_counter()
    survey = published_survey(consent_text="")
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE analytics_purchase, surveys_response CASCADE")
    create_customers()
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM surveys_customer WHERE external_id LIKE 'B%%'")
        low, high = cursor.fetchone()
        span = high - low + 1
        # Scores: every response has an NPS answer, 60% a CSAT, 30% a CES; 10% anonymous.
        cursor.execute(
            """
            INSERT INTO surveys_response (survey_id, version_id, customer_id, channel, store,
                source, language, status, respondent_key, started_at, completed_at,
                nps_score, csat_score, ces_score)
            SELECT %s, %s,
                CASE WHEN random() < 0.1 THEN NULL ELSE %s + floor(random() * %s)::int END,
                (ARRAY['email','link','qr','wechat','api'])[1 + floor(random() * 5)::int],
                'S' || lpad((floor(random() * 40))::text, 2, '0'),
                '{}'::jsonb, 'zh-hans', 'completed', md5(i::text || random()::text)::uuid,
                t - interval '3 minutes', t,
                LEAST(10, floor(random() * 11 + random() * 3)::int),
                CASE WHEN random() < 0.6 THEN 1 + floor(random() * 5)::int END,
                CASE WHEN random() < 0.3 THEN 1 + floor(random() * 7)::int END
            FROM (
                SELECT i, timestamptz '2024-11-25 00:00+08' + random() * interval '730 days' AS t
                FROM generate_series(1, %s) AS i
            ) AS g
            """,
            [survey.pk, survey.current_version_id, low, span, RESPONSES],
        )
        # Purchases: customers with Pareto-ish activity (squared uniform), 2% refunds.
        cursor.execute(
            """
            INSERT INTO analytics_purchase (customer_id, order_id, ordered_at, amount, currency,
                category, channel, quantity, is_refund, created_at, updated_at)
            SELECT %s + floor(power(random(), 2) * %s)::int, 'P' || lpad(i::text, 9, '0'),
                timestamptz '2024-11-25 00:00+08' + random() * interval '730 days',
                CASE WHEN r < 0.02 THEN -1 ELSE 1 END * round((20 + random() * 800)::numeric, 2),
                'CNY', (ARRAY['服装','鞋靴','美妆','食品','数码','家居','母婴'])[1 + i %% 7],
                '天猫', 1, r < 0.02, now(), now()
            FROM (SELECT i, random() AS r FROM generate_series(1, %s) AS i) AS g
            """,
            [low, span, PURCHASES],
        )
        cursor.execute("ANALYZE surveys_customer, surveys_response, analytics_purchase")
    print(f"data: generated in {time.perf_counter() - started:.1f}s")
    check(span == CUSTOMERS, f"{span:,} bench customers, expected {CUSTOMERS:,}")
    check(Response.objects.count() == RESPONSES, f"responses stored ≠ {RESPONSES:,}")
    check(Purchase.objects.count() == PURCHASES, f"purchases stored ≠ {PURCHASES:,}")


def create_customers(batch: int = 10_000) -> None:
    """CUSTOMERS customers B0000001… through the directory's own bulk service (the importer's),
    so every column gets the product's value (e.g. the erasure ``pseudonym``, blank);
    customers kept from an earlier, interrupted generation are not created twice."""
    from surveys.customers.services import CustomerData, customers_bulk_create
    from surveys.models import Customer

    regions = ["上海", "北京", "广州", "深圳", "杭州", "成都", "武汉", "南京", "西安", "重庆",
               "苏州", "天津"]  # fmt: skip
    existing = set(
        Customer.objects.filter(external_id__startswith="B").values_list("external_id", flat=True)
    )
    for start in range(1, CUSTOMERS + 1, batch):
        rows = [
            CustomerData(external_id=f"B{i:07d}", name=f"客户{i}", email=f"c{i}@example.cn",
                         region=regions[i % 12], language="zh-hans")
            for i in range(start, min(start + batch, CUSTOMERS + 1))
            if f"B{i:07d}" not in existing
        ]  # fmt: skip
        if rows:
            customers_bulk_create(rows=rows)


def timed(fn, runs: int | None = None) -> float:
    """Median wall time in ms of `runs` (default RUNS) calls (after one warm-up call)."""
    fn()
    times = []
    for _ in range(runs or RUNS):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def bench_queries() -> list[tuple[str, float]]:
    from django.db import connection

    from analytics.metric_queries.filters import MetricFilters
    from analytics.metric_queries.purchase_metrics import rfm_report
    from analytics.metric_queries.survey_metrics import (
        metric_breakdown,
        metric_summary,
        metric_trend,
    )
    from surveys.models import Response, Survey

    survey = Survey.objects.filter(pk=Response.objects.values("survey_id")[:1]).get()
    quarter = MetricFilters(start=dt.date(2026, 8, 24), end=TODAY)
    year = MetricFilters(start=dt.date(2025, 11, 24), end=TODAY)

    def count_all():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM surveys_response WHERE status = 'completed'")
            cursor.fetchone()

    cases = [
        ("reference: SELECT count(*) of all responses", count_all),
        (f"summary, all {RESPONSES:,} responses", lambda: metric_summary()),
        ("summary, last 90 days", lambda: metric_summary(quarter)),
        ("summary, survey + channel, last year",
         lambda: metric_summary(MetricFilters(start=year.start, end=year.end, survey=survey.pk,
                                              channel="email"))),
        ("summary, region 上海", lambda: metric_summary(MetricFilters(region="上海"))),
        ("summary, category 数码, last 90 days",
         lambda: metric_summary(MetricFilters(start=quarter.start, end=quarter.end,
                                              category="数码"))),
        ("summary, RFM segment important_value",
         lambda: metric_summary(MetricFilters(segment="important_value"))),
        ("trend NPS by day, last 90 days",
         lambda: metric_trend(metric="nps", interval="day", filters=quarter)),
        ("trend NPS by week, last year",
         lambda: metric_trend(metric="nps", interval="week", filters=year)),
        ("trend CSAT by month, all", lambda: metric_trend(metric="csat", interval="month")),
        ("trend NPS by quarter, all", lambda: metric_trend(metric="nps", interval="quarter")),
        ("breakdown by channel, last 90 days",
         lambda: metric_breakdown(by="channel", filters=quarter)),
        ("breakdown by region, last 90 days",
         lambda: metric_breakdown(by="region", filters=quarter)),
        ("breakdown by RFM segment, last 90 days",
         lambda: metric_breakdown(by="segment", filters=quarter)),
        ("RFM report (analytics/rfm/) from the day's CLV run",
         lambda: rfm_report(as_of=TODAY)),
    ]  # fmt: skip
    return [(name, timed(fn)) for name, fn in cases]


def bench_clv() -> float:
    from analytics.evaluations.clv_runs import clv_fit
    from analytics.models import ClvRun

    ClvRun.objects.all().delete()
    started = time.perf_counter()
    run = clv_fit(as_of=TODAY)
    seconds = time.perf_counter() - started
    check_clv_run(run)
    print(
        f"CLV run: {run.n_customers:,} customers, r={run.r:.3f} alpha={run.alpha:.3f} "
        f"a={run.a:.3f} b={run.b:.3f}, Gamma-Gamma p={run.p} q={run.q}"
    )
    return seconds


def check_clv_run(run) -> None:
    """The run covers every buyer, with finite parameters and one value row per customer."""
    import math

    from analytics.models import CustomerValue, Purchase

    buyers = Purchase.objects.filter(is_refund=False, ordered_at__date__lte=TODAY)
    buyers = buyers.values("customer_id")
    check(run.n_customers == buyers.distinct().count(), "CLV run does not cover every buyer")
    check(all(math.isfinite(v) for v in (run.r, run.alpha, run.a, run.b)), "BG/NBD not finite")
    check(CustomerValue.objects.filter(run=run).count() == run.n_customers,
          "CLV run without one CustomerValue per customer")  # fmt: skip


def check_queries() -> None:
    """Every completed NPS answer counted once by the summary and by the quarterly trend."""
    from analytics.metric_queries.survey_metrics import metric_summary, metric_trend
    from surveys.models import Response

    answered = Response.objects.filter(status="completed", nps_score__isnull=False).count()
    summary = metric_summary()
    check(summary.nps.n == answered, f"summary counts {summary.nps.n:,} of {answered:,} NPS")
    trend = sum(p.n for p in metric_trend(metric="nps", interval="quarter"))
    check(trend == answered, f"quarterly NPS trend counts {trend:,} of {answered:,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="drop and regenerate the data")
    parser.add_argument("--smoke", action="store_true", help="tiny scale, own database")
    args = parser.parse_args()
    configure(smoke=args.smoke)
    setup_django(args.rebuild or args.smoke)
    generate()
    clv_seconds = bench_clv()  # first: the segment filter and breakdown need a CLV run
    from django.db import connection

    with connection.cursor() as cursor:  # as autovacuum would have done after the bulk load
        cursor.execute("VACUUM ANALYZE surveys_response")
    print(f"\nRFM + CLV fit for {CUSTOMERS:,} customers / {PURCHASES:,} purchases: "
          f"{clv_seconds:.1f}s (target ≤ {CLV_TARGET_S:.0f}s) "
          f"{'OK' if clv_seconds <= CLV_TARGET_S else 'SLOW'}")  # fmt: skip
    print(
        f"\nqueries on {RESPONSES:,} responses (median of {RUNS}, ms; "
        f"target ≤ {QUERY_TARGET_MS:.0f}):"
    )
    results = bench_queries()
    check_queries()
    from analytics.metric_queries.purchase_metrics import rfm_report

    started = time.perf_counter()
    rfm_report(as_of=TODAY - dt.timedelta(days=1))  # no run that day: computed live
    live_rfm = time.perf_counter() - started
    reference = results[0][1]
    for name, ms in results:
        flag = "" if name.startswith("reference") else (
            "OK" if ms <= QUERY_TARGET_MS else "SLOW")  # fmt: skip
        print(f"  {name:<52} {ms:8.1f} ms  ×{ms / reference:5.2f} of count(*)  {flag}")
    print(
        f"\nRFM report computed live from {PURCHASES:,} purchases (no CLV run that day): "
        f"{live_rfm:.1f}s"
    )


if __name__ == "__main__":
    main()
