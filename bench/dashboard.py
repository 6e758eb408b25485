"""Benchmark the manager dashboard on PostgreSQL with the evaluations benchmark's data set.

Builds (once; kept between runs) the 1,000,000-response / 1,000,000-purchase data of
``bench/analytics.py`` in its own database ``surveyhub_dash_bench``, plus a CLV run, 100,000
analysed feedback items with topics and aspects, and 10,000 triage cases. Then prints:

1. every JSON endpoint the dashboard page calls, in-process through the test client (session
   auth, JSON rendering included): median of 5 calls after a warm-up, for all time, the
   page's default 12 months and the last 90 days on one channel — target ≤ 300 ms each; the plain
   ``SELECT count(*)`` of the responses is the reference measured in the same run;
2. the page-ready time in Chromium (Playwright): from navigation to every chart drawn
   (``#dashboard[data-ready=1]``, the page's default view: the last 12 months), against
   ``runserver`` on the same database — target ≤ 2 s.

Run: .venv/bin/python bench/dashboard.py [--rebuild] [--smoke]

``--smoke``: the tiny data set of ``bench/analytics.py --smoke`` plus 500 feedback items and 50
cases in ``surveyhub_dash_bench_smoke`` (re-created each time), one timed call per endpoint and
one page load after the warm-up. Either way it exits non-zero on an error, an endpoint that
does not answer 200 or a wrong count (NPS answers, labelled feedback items).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from bench import analytics as evaluation_bench  # noqa: E402

DATABASE = "surveyhub_dash_bench"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
FEEDBACK_ITEMS = 100_000
CASES = 10_000
ENDPOINT_TARGET_MS = 300.0
PAGE_TARGET_S = 2.0
PORT = 8791
SERVER_LOG = Path("/tmp/surveyhub-dashboard-bench-server.log")
PASSWORD = "bench-manager-pw-1"  # noqa: S105 (a throwaway user in a bench database)
RUNS = 5  # timed calls per endpoint (median)
PAGE_LOADS = 3  # page loads timed after the warm-up
check = evaluation_bench.check


def configure(*, smoke: bool) -> None:
    """--smoke: the evaluation bench's tiny scale, in a database of its own."""
    global DATABASE, DATABASE_URL, FEEDBACK_ITEMS, CASES, RUNS, PAGE_LOADS
    evaluation_bench.configure(smoke=smoke)
    if smoke:
        DATABASE = f"{DATABASE}_smoke"
        DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
        FEEDBACK_ITEMS, CASES, RUNS, PAGE_LOADS = 500, 50, 1, 1


def setup() -> None:
    evaluation_bench.DATABASE, evaluation_bench.DATABASE_URL = DATABASE, DATABASE_URL
    evaluation_bench.setup_django(rebuild=ARGS.rebuild or ARGS.smoke)
    evaluation_bench.generate()


def generate_dashboard_data() -> None:
    """A CLV run, analysed feedback with topics/aspects and cases — skipped when present."""
    from django.db import connection

    from analytics.evaluations.clv_runs import clv_fit
    from analytics.models import ClvRun
    from feedback.models import FeedbackAspect, FeedbackItem, FeedbackTopic, Topic
    from feedback.models.cases import Case, CaseStatus
    from surveys.models import Response

    if not ClvRun.objects.exists():
        started = time.perf_counter()
        clv_fit(as_of=evaluation_bench.TODAY)
        print(f"data: CLV run in {time.perf_counter() - started:.1f}s")
    if FeedbackItem.objects.count() >= FEEDBACK_ITEMS:
        print(f"data: reusing {FEEDBACK_ITEMS:,} feedback items and {CASES:,} cases")
        ensure_snapshot()
        return
    started = time.perf_counter()
    rng = random.Random(8)
    topics = [
        Topic.objects.get_or_create(key=f"bench-{i}", defaults={"name": f"话题{i}"})[0]
        for i in range(20)
    ]
    aspects = ["price", "quality", "logistics", "service", "packaging"]
    rows = list(
        Response.objects.order_by("?").values_list(
            "pk", "customer_id", "completed_at", "nps_score"
        )[:FEEDBACK_ITEMS]
    )
    labels = {True: "negative", False: "positive"}
    items = [
        FeedbackItem(
            text="…", source="survey", response_id=pk, customer_id=customer, created_at=at,
            nps_score=score,
            sentiment_label=labels[score <= 6] if rng.random() < 0.8 else "neutral",
            sentiment_score=rng.random(), analysis_status="done",
        )
        for pk, customer, at, score in rows
    ]  # fmt: skip
    FeedbackItem.objects.bulk_create(items, batch_size=5000)
    links, aspect_rows = [], []
    for item in items:
        for topic in rng.sample(topics, rng.randint(0, 2)):
            links.append(FeedbackTopic(item=item, topic=topic, weight=1.0))
        if rng.random() < 0.5:
            aspect_rows.append(
                FeedbackAspect(item=item, aspect=rng.choice(aspects), score=0.3, label="negative")
            )
    FeedbackTopic.objects.bulk_create(links, batch_size=5000)
    FeedbackAspect.objects.bulk_create(aspect_rows, batch_size=5000)
    detractors = [r for r in rows if r[3] is not None and r[3] <= 6 and r[1]][:CASES]
    cases = []
    for pk, customer, at, _score in detractors:
        resolved = at + dt.timedelta(hours=rng.randint(1, 96)) if rng.random() < 0.9 else None
        cases.append(
            Case(
                customer_id=customer, response_id=pk, created_at=at, sla_started_at=at,
                due_at=at + dt.timedelta(hours=48), resolved_at=resolved,
                status=CaseStatus.RESOLVED if resolved else CaseStatus.NEW,
            )
        )  # fmt: skip
    Case.objects.bulk_create(cases, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE feedback_feedbackitem, feedback_feedbacktopic, feedback_feedbackaspect,"
            " feedback_case, analytics_customervalue"
        )
    print(f"data: feedback and cases generated in {time.perf_counter() - started:.1f}s")
    ensure_snapshot()


def ensure_snapshot() -> None:
    """The current quarter's scorecard, as the nightly job stores it (the tiles read it)."""
    from analytics.dashboard.queries import current_period
    from analytics.evaluations.scorecard import evaluation_compute
    from analytics.models import EvaluationSnapshot

    period = current_period()
    if not EvaluationSnapshot.objects.filter(period=period.code).exists():
        evaluation_compute(period=period)


def manager():
    from surveyhub.security.roles import Role
    from tests.factories import UserFactory

    user = UserFactory(username="bench-manager", role=Role.MANAGER)
    user.set_password(PASSWORD)
    user.save()
    return user


def timed(fn, runs: int | None = None) -> float:
    fn()
    times = []
    for _ in range(runs or RUNS):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def bench_endpoints(user) -> list[tuple[str, float]]:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from analytics.metric_queries.filters import latest_clv_run

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    as_of = latest_clv_run().as_of.isoformat()

    def call(name, **params):
        def run():
            response = client.get(reverse(name), params)
            assert response.status_code == 200, (name, response.status_code)

        return run

    def count_all():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM surveys_response WHERE status = 'completed'")
            cursor.fetchone()

    quarter = {"from": "2026-08-26", "to": "2026-11-24", "channel": "wechat", "interval": "week"}
    year = {"from": "2025-11-25", "to": "2026-11-24", "interval": "month"}
    views = {
        "all time, by month": {"from": "", "to": "", "interval": "month"},
        "page default: 12 months, by month": year,
        "90 days, wechat, by week": quarter,
    }
    cases = [("reference: SELECT count(*) of all responses", count_all)]
    for label, params in views.items():
        cases += [
            (f"{label}: dashboard/tiles/", call("dashboard-tiles")),
            *[
                (f"{label}: metrics/trend/ {m}", call("metrics-trend", metric=m, **params))
                for m in ("nps", "csat", "ces")
            ],
            *[
                (f"{label}: dashboard/{n}/", call(f"dashboard-{n}", **params))
                for n in ("nps-distribution", "sentiment-trend", "topics", "matrix", "service")
            ],
            (f"{label}: analytics/rfm/", call("analytics-rfm", as_of=as_of, **params)),
        ]
    from analytics.dashboard.queries import current_period
    from analytics.evaluations.scorecard import scorecard_compute

    cases.append(
        ("tiles computed live (no snapshot yet), for reference", lambda: scorecard_compute(
            current_period()))
    )  # fmt: skip
    results = [(name, timed(fn)) for name, fn in cases]
    check_endpoints(client)
    return results


def check_endpoints(client) -> None:
    """All time: the score distribution counts every NPS answer, the sentiment trend every
    labelled feedback item."""
    from django.urls import reverse

    from feedback.models import FeedbackItem
    from surveys.models import Response

    everything = {"from": "", "to": "", "interval": "month"}
    answered = Response.objects.filter(status="completed", nps_score__isnull=False).count()
    shown = client.get(reverse("dashboard-nps-distribution"), everything).json()["n"]
    check(shown == answered, f"NPS distribution shows {shown:,} of {answered:,} answers")
    labelled = FeedbackItem.objects.exclude(sentiment_label="").count()
    trend = client.get(reverse("dashboard-sentiment-trend"), everything).json()
    shown = sum(point["n"] for point in trend)
    check(shown == labelled, f"sentiment trend shows {shown:,} of {labelled:,} items")


def bench_page() -> list[float]:
    """Seconds from navigation to every chart drawn, PAGE_LOADS loads after a warm-up."""
    from playwright.sync_api import sync_playwright

    env = {**os.environ, "DATABASE_URL": DATABASE_URL, "DJANGO_SETTINGS_MODULE": "bench.settings",
           "DJANGO_DEBUG": "1"}  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{PORT}", "--noreload",
         "--settings", "surveyhub.settings"],
        cwd=REPO_ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "surveyhub.settings"},
        stdout=SERVER_LOG.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{PORT}"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            for _ in range(50):
                try:
                    page.goto(base + "/admin/login/")
                    break
                except Exception:
                    time.sleep(0.2)
            page.fill("#id_username", "bench-manager")
            page.fill("#id_password", PASSWORD)
            page.click("input[type=submit]")
            page.wait_for_url(base + "/admin/")
            times = []
            for _ in range(PAGE_LOADS + 1):
                started = time.perf_counter()
                page.goto(base + "/admin/dashboard/")
                page.wait_for_selector("#dashboard[data-ready='1']", timeout=60_000)
                times.append(time.perf_counter() - started)
            page.screenshot(path=str(REPO_ROOT / "tests" / "artifacts" / "dashboard-bench.png"))
            browser.close()
        return times[1:]
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    setup()
    generate_dashboard_data()
    user = manager()
    print(
        f"\nendpoints on {evaluation_bench.RESPONSES:,} responses "
        f"(median of {RUNS}, ms; target ≤ {ENDPOINT_TARGET_MS:.0f}):"
    )
    results = bench_endpoints(user)
    reference = results[0][1]
    for name, ms in results:
        flag = "" if "reference" in name else (
            "OK" if ms <= ENDPOINT_TARGET_MS else "SLOW")  # fmt: skip
        print(f"  {name:<58} {ms:8.1f} ms  ×{ms / reference:5.2f} of count(*)  {flag}")
    times = bench_page()
    median = statistics.median(times)
    print(
        f"\npage ready in Chromium ({PAGE_LOADS} loads after a warm-up): median {median:.2f}s, "
        f"max {max(times):.2f}s (target ≤ {PAGE_TARGET_S:.0f}s) "
        f"{'OK' if max(times) <= PAGE_TARGET_S else 'SLOW'}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="drop and regenerate the data")
    parser.add_argument("--smoke", action="store_true", help="tiny scale, own database")
    ARGS = parser.parse_args()
    configure(smoke=ARGS.smoke)
    main()
