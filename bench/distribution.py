"""Benchmark a distribution's audience on PostgreSQL: counted before sending and built into
invitations by the task; prints figures against a reference measured in the same run.

Generates 100,000 customers (12 regions, a third tagged VIP, 2% unsubscribed), 100,000
purchases in four categories and 50,000 NPS answers in the database
``surveyhub_distribution_bench`` (kept between runs; ``--database`` names another), then:

1. the reference: ``SELECT count(*)`` of the customers (median of 3);
2. the live audience size the staff form shows (``audience_preview``: matched, reachable,
   contacted recently and 5 sample names) for "every customer" and for a combined audience
   (region + purchased within 365 days + NPS group of the last answer) — median of 3, target
   ≤ 1 s each;
3. queueing "every customer": the request's part (create + queue the build) and the task's
   (``distribution_build``: 100,000 invitation rows with their tokens) — target ≤ 30 s in all.
   The distribution is deleted afterwards, so runs repeat.

Run: .venv/bin/python bench/distribution.py [--rebuild] [--smoke] [--database NAME]

``--smoke``: 2,000 customers in ``<database>_smoke`` (re-created each time), one timed run.
Either way it exits non-zero on a wrong result (a count that differs from the reference, an
invitation missing or left over).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from bench.postgres import setup_django_on  # noqa: E402

DATABASE = "surveyhub_distribution_bench"
CUSTOMERS = 100_000
RUNS = 3
COUNT_TARGET_MS = 1000.0
QUEUE_TARGET_S = 30.0


def configure(*, smoke: bool, database: str | None) -> None:
    global DATABASE, CUSTOMERS, RUNS
    DATABASE = database or DATABASE
    if smoke:
        DATABASE, CUSTOMERS, RUNS = f"{DATABASE}_smoke", 2_000, 1


def check(condition: bool, message: str) -> None:
    """A wrong result stops the bench with a non-zero exit (and the smoke run with it)."""
    if not condition:
        raise SystemExit(f"bench check failed: {message}")


def setup_django(rebuild: bool) -> None:
    setup_django_on(DATABASE, rebuild=rebuild)


def generate() -> None:
    """Customers (the directory's bulk service), tags, purchases and answers (SQL)."""
    from django.db import connection

    from bench import analytics as eval_bench
    from surveys.models import Customer
    from tests.factories import published_survey

    if Customer.objects.count() >= CUSTOMERS:
        print(f"data: reusing {Customer.objects.count():,} customers in {DATABASE}")
        return
    started = time.perf_counter()
    eval_bench.CUSTOMERS = CUSTOMERS
    eval_bench.create_customers()
    survey = published_survey(consent_text="")
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO surveys_customertag (name) VALUES ('VIP') RETURNING id")
        tag = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO surveys_customer_tags (customer_id, customertag_id) "
            "SELECT id, %s FROM surveys_customer WHERE id %% 3 = 0",
            [tag],
        )
        cursor.execute("UPDATE surveys_customer SET unsubscribed = true WHERE id % 50 = 0")
        cursor.execute(
            """
            INSERT INTO analytics_purchase (customer_id, order_id, ordered_at, amount, currency,
                category, channel, quantity, is_refund, created_at, updated_at)
            SELECT id, 'B' || id, now() - (id % 700) * interval '1 day', 100 + id % 900, 'CNY',
                (ARRAY['服装', '鞋靴', '美妆', '家居'])[1 + id % 4], '天猫', 1, false, now(), now()
            FROM surveys_customer
            """
        )
        cursor.execute(
            """
            INSERT INTO surveys_response (survey_id, version_id, customer_id, channel, store,
                source, language, status, respondent_key, started_at, completed_at, nps_score)
            SELECT %s, %s, id, 'email', '', '{}'::jsonb, 'zh-hans', 'completed',
                md5(id::text || random()::text)::uuid, now() - interval '3 days',
                now() - interval '3 days' + interval '3 minutes', id %% 11
            FROM surveys_customer WHERE id %% 2 = 0
            """,
            [survey.pk, survey.current_version_id],
        )
        cursor.execute("ANALYZE surveys_customer, surveys_customer_tags, analytics_purchase, "
                       "surveys_response")  # fmt: skip
    print(f"data: {CUSTOMERS:,} customers, tags, purchases and answers generated in "
          f"{time.perf_counter() - started:.1f}s")  # fmt: skip


def timed(fn) -> tuple[float, object]:
    """Median wall time in ms of RUNS calls after one warm-up call, and the last result."""
    result = fn()
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def bench() -> None:
    from django.db import connection

    from surveyhub.celery import app
    from surveyhub.tasking.declare import task_named
    from surveys.distribution.audience_preview import audience_preview
    from surveys.distribution.building import (
        BUILD_TASK,
        distribution_build,
        distribution_queue_build,
    )
    from surveys.distribution.invitations import distribution_create
    from surveys.models import Distribution, Invitation, Survey

    def reference() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM surveys_customer")
            return cursor.fetchone()[0]

    survey = Survey.objects.order_by("pk").first()
    Distribution.objects.filter(survey=survey).delete()  # an interrupted earlier run
    ref_ms, total = timed(reference)
    print(f"reference: SELECT count(*) of {total:,} customers: {ref_ms:.1f} ms")

    audiences = {
        "every customer": {"all": True},
        "上海+北京, bought within 365 days, detractors": {
            "region": ["上海", "北京"], "purchased_within_days": 365, "nps_group": ["detractor"],
        },
    }  # fmt: skip
    for name, filters in audiences.items():
        ms, preview = timed(
            lambda f=filters: audience_preview(survey=survey, channel="email", filters=f)
        )
        print(f"audience size ({name}): {preview.matched:,} matched, {preview.reachable:,} "
              f"reachable, {len(preview.sample)} names: {ms:.1f} ms "
              f"({ms / ref_ms:.1f}× the reference; target ≤ {COUNT_TARGET_MS:.0f} ms) "
              f"{'OK' if ms <= COUNT_TARGET_MS else 'SLOW'}")  # fmt: skip
        if filters == {"all": True}:
            check(preview.matched == total, f"matched {preview.matched} ≠ count(*) {total}")
            check(preview.reachable == total - total // 50, "reachable ≠ the subscribed")
        check(len(preview.sample) == min(5, preview.reachable), "sample names missing")

    # The request's part queues the build on the (in-memory) broker, as with a real worker;
    # the task's part is then run here.
    app.conf.task_always_eager = False
    task_named(BUILD_TASK)  # task modules are imported once per process: not the request's
    started = time.perf_counter()
    distribution = distribution_create(survey=survey, channel="email", audience={"all": True})
    distribution = distribution_queue_build(distribution=distribution, send=False)
    request_s = time.perf_counter() - started
    app.conf.task_always_eager = True
    status = distribution_build(distribution_id=distribution.pk)
    total_s = time.perf_counter() - started
    invitations = Invitation.objects.filter(distribution=distribution).count()
    print(f"queue every customer: request {request_s * 1000:.0f} ms, build task "
          f"{total_s - request_s:.1f} s, {invitations:,} invitations, now {status}: "
          f"{total_s:.1f} s in all ({total_s * 1000 / ref_ms:.0f}× the reference; target ≤ "
          f"{QUEUE_TARGET_S:.0f} s) {'OK' if total_s <= QUEUE_TARGET_S else 'SLOW'}")  # fmt: skip
    check(status == "ready", f"the build left the distribution {status}")
    check(invitations == total, f"{invitations} invitations for {total} customers")
    distribution.delete()
    check(not Invitation.objects.exists(), "invitations left over")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="drop and regenerate the data")
    parser.add_argument("--smoke", action="store_true", help="tiny scale, own database")
    parser.add_argument("--database", help=f"the database to use (default {DATABASE})")
    args = parser.parse_args()
    configure(smoke=args.smoke, database=args.database)
    setup_django(args.rebuild or args.smoke)
    generate()
    bench()


if __name__ == "__main__":
    main()
