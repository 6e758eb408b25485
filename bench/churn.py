"""Benchmark churn risk and lifecycle stages on PostgreSQL; prints figures against a reference
measured in the same run.

Generates 100,000 customers and about 1,000,000 purchases drawn from the BG/NBD story
(bench/clv_fit.py's seeded generator: customers acquired during 2023, followed to 2024-12-31,
2% refunds) plus 100,000 NPS answers, in the database ``surveyhub_churn_bench`` (kept between
runs), then prints:

1. the CLV run with churn risk and lifecycle stages (``clv_fit``: narrow read of the purchases,
   BG/NBD + Gamma-Gamma, RFM, the churn back-test on two stacked windows with satisfaction
   signals, stages, 100,000 CustomerValue rows written) end to end, with the churn part alone,
   and the process's peak RSS — targets ≤ 30 s and ≤ 800 MB;
2. the median of 3 runs of the at-risk list's first page (reasons included), the lifecycle
   counts and the segment rows, against ``SELECT count(*)`` of the purchases in the same run —
   target ≤ 300 ms each.

Run: .venv/bin/python bench/churn.py [--rebuild] [--smoke]

``--smoke``: 2,000 customers (about 20,000 purchases) in ``surveyhub_churn_bench_smoke``
(re-created each time), one timed run per query. Either way it exits non-zero on an error or
a wrong result (a customer without a risk or a stage, a list out of order, a back-test AUC
under 0.6 or a mean risk off the back-test's observed share by more than 0.05).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
DATABASE = "surveyhub_churn_bench"
CUSTOMERS = 100_000
ANSWERS = 100_000
RUNS = 3
TOTAL_TARGET_S = 30.0
RSS_TARGET_MB = 800.0
QUERY_TARGET_MS = 300.0
AS_OF = dt.date(2024, 12, 31)


def configure(*, smoke: bool) -> None:
    global DATABASE, CUSTOMERS, ANSWERS, RUNS
    if smoke:
        DATABASE, CUSTOMERS, ANSWERS, RUNS = f"{DATABASE}_smoke", 2_000, 2_000, 1


def check(condition: bool, message: str) -> None:
    """A wrong result stops the bench with a non-zero exit (and the smoke run with it)."""
    if not condition:
        raise SystemExit(f"bench check failed: {message}")


def setup_django(rebuild: bool) -> None:
    pg = ["-h", "127.0.0.1", "-U", "postgres"]
    if rebuild:
        subprocess.run(["dropdb", "--if-exists", *pg, DATABASE], check=True)
    exists = subprocess.run(
        ["psql", *pg, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'"],  # noqa: S608
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    if not exists:
        subprocess.run(["createdb", *pg, DATABASE], check=True)
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.pop("CELERY_BROKER_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate() -> None:
    """Customers, purchases (COPY) and NPS answers — skipped when already there."""
    from django.db import connection

    from analytics.models import Purchase
    from bench import analytics as eval_bench
    from bench.clv_fit import synthetic_transactions
    from surveys.models import Customer
    from tests.factories import published_survey

    if Purchase.objects.exists():
        print(f"data: reusing {Purchase.objects.count():,} purchases in {DATABASE}")
        return
    started = time.perf_counter()
    eval_bench.CUSTOMERS = CUSTOMERS
    eval_bench.create_customers()
    ids = dict(
        Customer.objects.filter(external_id__startswith="B").values_list("external_id", "pk")
    )
    tx = synthetic_transactions(CUSTOMERS)
    number = tx["customer_id"].str[1:].astype(int) + 1
    customer = number.map(lambda n: ids[f"B{n:07d}"])
    moment = (tx["ordered_at"] + dt.timedelta(hours=12)).dt.strftime("%Y-%m-%d %H:%M:%S+08")
    buffer = io.StringIO()
    for i, (c, at, amount) in enumerate(zip(customer, moment, tx["amount"], strict=True)):
        refund = "t" if amount < 0 else "f"
        buffer.write(
            f"{c}\tP{i:09d}\t{at}\t{amount:.2f}\tCNY\t服装\t天猫\t1\t{refund}\t{at}\t{at}\n"
        )
    buffer.seek(0)
    with (
        connection.cursor() as cursor,
        cursor.copy(
            "COPY analytics_purchase (customer_id, order_id, ordered_at, amount, currency, "
            "category, channel, quantity, is_refund, created_at, updated_at) FROM STDIN"
        ) as copy,
    ):
        copy.write(buffer.read())
    survey = published_survey(consent_text="")
    low, high = min(ids.values()), max(ids.values())
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO surveys_response (survey_id, version_id, customer_id, channel, store,
                source, language, status, respondent_key, started_at, completed_at, nps_score)
            SELECT %s, %s, %s + floor(random() * %s)::int, 'email', '', '{}'::jsonb, 'zh-hans',
                'completed', md5(i::text || random()::text)::uuid, t - interval '3 minutes', t,
                LEAST(10, floor(random() * 11 + random() * 3)::int)
            FROM (SELECT i, timestamptz '2023-06-01 00:00+08' + random() * interval '570 days'
                  AS t FROM generate_series(1, %s) AS i) AS g
            """,
            [survey.pk, survey.current_version_id, low, high - low + 1, ANSWERS],
        )
        cursor.execute("ANALYZE analytics_purchase, surveys_customer, surveys_response")
    print(f"data: {len(tx):,} purchases, {CUSTOMERS:,} customers, {ANSWERS:,} NPS answers "
          f"generated in {time.perf_counter() - started:.1f}s")  # fmt: skip


def timed(fn) -> float:
    fn()
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def bench_run():
    from analytics.evaluations.clv_runs import clv_fit
    from analytics.models import ClvRun, CustomerValue
    from analytics.relationship import churn_runs

    ClvRun.objects.all().delete()
    churn_seconds = []
    original = churn_runs.churn_risk

    def measured(*args, **kwargs):
        started = time.perf_counter()
        result = original(*args, **kwargs)
        churn_seconds.append(time.perf_counter() - started)
        return result

    churn_runs.churn_risk = measured
    try:
        started = time.perf_counter()
        run = clv_fit(as_of=AS_OF)
        total = time.perf_counter() - started
    finally:
        churn_runs.churn_risk = original
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    bt = run.churn_backtest
    values = CustomerValue.objects.filter(run=run)
    check(bt.get("method") == "model", f"churn fell back to the rule: {bt.get('reason')}")
    check(not values.filter(churn_risk__isnull=True).exists(), "a customer without a risk")
    check(not values.filter(lifecycle_stage="").exists(), "a customer without a stage")
    check(bt["auc"] >= 0.6, f"back-test AUC {bt['auc']}")
    check(abs(bt["mean_predicted"] - bt["observed_share"]) <= 0.05, "back-test not calibrated")
    print(f"CLV run with churn + lifecycle, {run.n_customers:,} customers: {total:.1f}s "
          f"(churn {churn_seconds[0]:.1f}s; target ≤ {TOTAL_TARGET_S:.0f}s) "
          f"{'OK' if total <= TOTAL_TARGET_S else 'SLOW'}; peak RSS {rss:.0f} MB "
          f"(target ≤ {RSS_TARGET_MB:.0f}) {'OK' if rss <= RSS_TARGET_MB else 'HIGH'}")  # fmt: skip
    print(f"  back-test: window {bt['window_days']} d, AUC {bt['auc']:.3f} (recency alone "
          f"{bt['recency_auc']:.3f}), predicted {bt['mean_predicted']:.3f} vs observed "
          f"{bt['observed_share']:.3f}, signals gain {bt['signals_auc_gain']}")  # fmt: skip
    return run


def bench_queries(run) -> None:
    from django.db import connection

    from analytics.relationship.queries import at_risk_rows, at_risk_values, stage_counts
    from analytics.relationship.segments import segment_rows

    def count_purchases():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM analytics_purchase")
            cursor.fetchone()

    def first_page():
        return at_risk_rows(list(at_risk_values(run)[:50]))

    rows = first_page()
    stakes = [r.value.value_at_stake for r in rows]
    check(stakes == sorted(stakes, reverse=True) and rows, "at-risk list out of order or empty")
    reference = timed(count_purchases)
    print(f"\nqueries (median of {RUNS}, ms; target ≤ {QUERY_TARGET_MS:.0f}):")
    print(f"  {'reference: SELECT count(*) of the purchases':<48} {reference:8.1f}")
    for name, fn in (
        ("at-risk list, first page with reasons", first_page),
        ("lifecycle counts", lambda: stage_counts(run)),
        ("segment rows (RFM + stages, NPS each)", lambda: segment_rows(run)),
    ):
        ms = timed(fn)
        verdict = "OK" if ms <= QUERY_TARGET_MS else "SLOW"
        print(f"  {name:<48} {ms:8.1f}  ×{ms / reference:5.1f} of the reference  {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="drop and regenerate the data")
    parser.add_argument("--smoke", action="store_true", help="tiny scale, own database")
    args = parser.parse_args()
    configure(smoke=args.smoke)
    setup_django(args.rebuild or args.smoke)
    generate()
    run = bench_run()
    bench_queries(run)


if __name__ == "__main__":
    main()
