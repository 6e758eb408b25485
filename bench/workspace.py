"""Benchmark the evaluation workspace on PostgreSQL: its data calls, the page in Chromium and
the PDF report, at 1,000,000 responses and 1,000,000 purchases.

Builds (once; kept between runs) the responses and purchases of ``bench/analytics.py`` in its
own database ``surveyhub_workspace_bench``, a CLV run of every customer written directly (its
fit is `bench/clv_fit.py`'s business), 10,000 cases, and the scorecard snapshots of the
current and previous quarter. Then prints, against ``SELECT count(*)`` of the responses
measured in the same run:

1. the nightly work the page relies on: a snapshot (``evaluation_compute``) and the
   workspace's figures of it (``figures_warm``: sample sizes, headline, cases, same-days);
2. every data call of the workspace, in-process through the test client (session auth,
   template or JSON rendering included), median of RUNS calls after a warm-up — target
   ≤ 300 ms each: the page, the API detail and list, and four indicators' drill-downs —
   cold (the figures missing, as before the night's run: the call answers "计算中…" and
   sends one task to the in-memory broker no worker reads; then stale, from five days ago),
   the worker's run that fills them (``analytics.compute_workspace_figures``), and warm;
3. the page ready in Chromium (Playwright, Debian's chromium) — navigation to the trend chart
   drawn (``#ws-trend-chart[data-ready]``), against ``runserver`` — target ≤ 1.5 s;
4. the PDF report built as the worker builds it (``analytics.generate_report``) — ≤ 30 s.

Run: .venv/bin/python bench/workspace.py [--rebuild] [--smoke] [--responses N]

``--smoke``: the tiny data set of ``bench/analytics.py --smoke`` in
``surveyhub_workspace_bench_smoke`` (kept; ``--rebuild`` re-creates it), one timed call each.
Either way it exits non-zero on an error, a page that does not answer 200, or a PDF without
its text.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from bench import analytics as evaluation_bench  # noqa: E402

DATABASE = "surveyhub_workspace_bench"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
CASES = 10_000
CALL_TARGET_MS = 300.0
PAGE_TARGET_S = 1.5
PDF_TARGET_S = 30.0
PORT = 8793
SERVER_LOG = Path("/tmp/surveyhub-workspace-bench-server.log")
PASSWORD = "bench-manager-pw-1"  # noqa: S105 (a throwaway user in a bench database)
RUNS = 5
PAGE_LOADS = 3
check = evaluation_bench.check


def configure(*, smoke: bool, responses: int | None) -> None:
    global DATABASE, DATABASE_URL, CASES, RUNS, PAGE_LOADS
    evaluation_bench.configure(smoke=smoke)
    if smoke:
        DATABASE = f"{DATABASE}_smoke"
        DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
        CASES, RUNS, PAGE_LOADS = 50, 1, 1
    elif responses:
        evaluation_bench.RESPONSES = evaluation_bench.PURCHASES = responses
        evaluation_bench.CUSTOMERS = max(1000, responses // 10)
        DATABASE = f"{DATABASE}_{responses}"
        DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
        CASES = max(50, responses // 100)
    evaluation_bench.DATABASE, evaluation_bench.DATABASE_URL = DATABASE, DATABASE_URL


def generate_workspace_data() -> None:
    """A CLV run of every customer (SQL), cases (SQL) — skipped when present."""
    from django.db import connection

    from analytics.models import ClvRun

    if ClvRun.objects.exists():
        return
    started = time.perf_counter()
    today = evaluation_bench.TODAY
    run = ClvRun.objects.create(
        as_of=today, r=0.24, alpha=4.41, a=0.79, b=2.43, bgnbd_log_likelihood=-1.0,
        n_customers=evaluation_bench.CUSTOMERS, n_repeaters=evaluation_bench.CUSTOMERS // 2,
        p=6.25, q=3.74, gamma=15.44,
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO analytics_customervalue (run_id, customer_id, frequency, recency, "T",
                monetary, recency_days, orders, spend, r_score, f_score, m_score, rfm_segment,
                p_alive, expected_orders_1y, clv, value_tier, churn_band, churn_risk,
                lifecycle_stage, spend_trend, value_at_stake)
            SELECT %s, c.id, 2, 30, 60, 120, 20, 3, 360, 1 + c.id %% 5, 1 + c.id %% 4,
                1 + c.id %% 3,
                (ARRAY['important_value','important_develop','important_keep',
                       'important_retain','general_value','general_develop','general_keep',
                       'general_retain'])[1 + c.id %% 8],
                0.8, 1.5, round((random() * 3000)::numeric, 2),
                (ARRAY['high','medium','low'])[1 + c.id %% 3], 'low', 0.2, 'active', 0, 0
            FROM surveys_customer c WHERE c.external_id LIKE 'B%%'
            """,
            [run.pk],
        )
        cursor.execute(
            """
            INSERT INTO feedback_case (customer_id, response_id, triggers, status, priority,
                value_tier, created_at, updated_at, sla_started_at, due_at, first_response_at,
                resolved_at, sla_notified, outcome)
            SELECT r.customer_id, r.id, '[]'::jsonb,
                CASE WHEN random() < 0.85 THEN 'resolved' ELSE 'new' END, 'P3', 'medium',
                r.completed_at, r.completed_at, r.completed_at,
                r.completed_at + interval '48 hours',
                r.completed_at + random() * interval '30 hours',
                r.completed_at + random() * interval '60 hours', '[]'::jsonb, ''
            FROM surveys_response r
            WHERE r.nps_score <= 6 AND r.customer_id IS NOT NULL
            ORDER BY r.id LIMIT %s
            """,
            [CASES],
        )
        cursor.execute(
            "UPDATE feedback_case SET resolved_at = NULL WHERE status = 'new';"
            "ANALYZE analytics_customervalue, feedback_case"
        )
    print(f"data: CLV run of every customer and {CASES:,} cases in "
          f"{time.perf_counter() - started:.1f}s")  # fmt: skip


def nightly() -> list[tuple[str, float]]:
    """The current and previous quarter's snapshots and their workspace figures (what the
    nightly run computes), timed once each."""
    from analytics.evaluations.periods import period_containing
    from analytics.evaluations.scorecard import evaluation_compute
    from analytics.workspace.nightly import figures_warm

    current = period_containing(evaluation_bench.TODAY)
    results = []
    for period in (current.previous(), current):
        started = time.perf_counter()
        snapshot = evaluation_compute(period=period, force=True)
        results.append((f"nightly: snapshot {period.code}", time.perf_counter() - started))
        started = time.perf_counter()
        figures_warm([snapshot])
        results.append((f"nightly: workspace figures {period.code}",
                        time.perf_counter() - started))  # fmt: skip
    return results


def manager():
    from surveyhub.security.roles import Role
    from tests.factories import UserFactory

    user = UserFactory(username="bench-manager", role=Role.MANAGER)
    user.set_password(PASSWORD)
    user.save()
    return user


def timed(fn) -> float:
    fn()
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def bench_calls(user, code: str, *, prefix: str = "", expect: str = "") -> list[tuple[str, float]]:
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)

    def get(url):
        def run():
            response = client.get(url)
            check(response.status_code == 200, f"{url} answered {response.status_code}")
            if expect and url != "/api/v1/evaluations/":  # the list has no kept figures
                check(expect in response.content.decode(), f"{url} lacks {expect!r}")

        return run

    def count_all():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM surveys_response WHERE status = 'completed'")
            cursor.fetchone()

    calls = [
        ("reference: SELECT count(*) of all responses", count_all),
        (f"page /staff/evaluations/{code}/", get(f"/staff/evaluations/{code}/")),
        (f"API /api/v1/evaluations/{code}/", get(f"/api/v1/evaluations/{code}/")),
        ("API /api/v1/evaluations/", get("/api/v1/evaluations/")),
    ]
    for indicator in ("nps", "repurchase_rate", "clv", "resolution_rate"):
        url = f"/staff/evaluations/{code}/indicators/{indicator}/"
        calls.append((f"drill-down {indicator}", get(url)))
    return [(f"{prefix}{name}" if i else name, timed(fn)) for i, (name, fn) in enumerate(calls)]


def bench_cold(user, code: str) -> list[tuple[str, float]]:
    """The calls before the night's run: no figures kept (each call answers "计算中…"; the
    first asks a worker, through the in-memory broker no worker reads), then figures from five
    days ago; then the worker's run that fills them in, timed."""
    import datetime as dt

    from django.core.cache import cache

    from analytics.evaluations.periods import local_today
    from analytics.evaluations.tasks import compute_workspace_figures
    from analytics.models import EvaluationSnapshot, WorkspaceFigures
    from surveyhub.celery import app

    snapshot = EvaluationSnapshot.objects.filter(period=code).order_by("-version").first()
    kept = WorkspaceFigures.objects.get(snapshot=snapshot)
    app.conf.task_always_eager = False  # tasks go to the broker (memory://): none runs here
    try:
        WorkspaceFigures.objects.filter(snapshot=snapshot).delete()
        cache.clear()
        results = bench_calls(user, code, prefix="cold, missing: ", expect="计算中")
        WorkspaceFigures.objects.create(
            snapshot=snapshot, data=kept.data, computed_on=local_today() - dt.timedelta(days=5)
        )
        cache.clear()
        results += bench_calls(user, code, prefix="cold, stale: ", expect="正在更新")[1:]
    finally:
        app.conf.task_always_eager = True
    WorkspaceFigures.objects.filter(snapshot=snapshot).delete()
    cache.clear()
    started = time.perf_counter()
    compute_workspace_figures.apply(args=[snapshot.pk]).get()
    results.append(("worker: figures and 11 drill-downs filled", time.perf_counter() - started))
    return results


def bench_page(code: str) -> list[float]:
    from playwright.sync_api import sync_playwright

    env = {**os.environ, "DATABASE_URL": DATABASE_URL, "DJANGO_DEBUG": "1",
           "DJANGO_SETTINGS_MODULE": "surveyhub.settings",
           "SURVEYHUB_IN_PROCESS_SCHEDULER": "0"}  # fmt: skip
    env.pop("CELERY_BROKER_URL", None)
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{PORT}", "--noreload"],
        cwd=REPO_ROOT, env=env, stdout=SERVER_LOG.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{PORT}"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            for _ in range(100):
                try:
                    page.goto(base + "/accounts/login/")
                    break
                except Exception:
                    time.sleep(0.2)
            page.fill("#id_username", "bench-manager")
            page.fill("#id_password", PASSWORD)
            with page.expect_navigation():
                page.press("#id_password", "Enter")
            times = []
            for _ in range(PAGE_LOADS + 1):
                started = time.perf_counter()
                page.goto(f"{base}/staff/evaluations/{code}/")
                page.wait_for_selector("#ws-trend-chart[data-ready='1']", timeout=60_000,
                                       state="attached")  # fmt: skip
                times.append(time.perf_counter() - started)
            browser.close()
        return times[1:]
    finally:
        server.terminate()
        server.wait()


def bench_pdf(user, code: str) -> float:
    """The PDF report as the worker builds it (the task run in this process)."""
    from pypdf import PdfReader

    from analytics.models import Report
    from analytics.reports.tasks import generate_report

    report = Report.objects.create(period=code, format="pdf", created_by=user)
    started = time.perf_counter()
    generate_report.apply(args=[report.pk]).get()
    seconds = time.perf_counter() - started
    report.refresh_from_db()
    check(report.status == "succeeded", f"report {report.pk}: {report.status} {report.error}")
    with report.file.open("rb") as handle:
        text = PdfReader(io.BytesIO(handle.read())).pages[0].extract_text()
    check("综合指数" in text and "概览" in text, "the PDF's first page lacks its summary")
    return seconds


def main() -> None:
    evaluation_bench.setup_django(rebuild=ARGS.rebuild)  # the smoke data is kept too
    evaluation_bench.generate()
    generate_workspace_data()
    from django.conf import settings

    from analytics.evaluations.periods import period_containing

    settings.MEDIA_ROOT = "/tmp/surveyhub-workspace-bench-media"
    code = period_containing(evaluation_bench.TODAY).previous().code
    print(f"\n{evaluation_bench.RESPONSES:,} responses, {evaluation_bench.PURCHASES:,} "
          f"purchases, {evaluation_bench.CUSTOMERS:,} customers, {CASES:,} cases")  # fmt: skip
    for name, seconds in nightly():
        print(f"  {name:<52} {seconds:8.1f} s")
    user = manager()
    cold = bench_cold(user, code)
    worker = cold.pop()
    results = cold + bench_calls(user, code, prefix="warm: ")[1:]
    reference = results[0][1]
    print(f"\ndata calls (median of {RUNS}, ms; target ≤ {CALL_TARGET_MS:.0f}):")
    for name, ms in results:
        flag = "" if name.startswith("reference") else (
            "OK" if ms <= CALL_TARGET_MS else "SLOW")  # fmt: skip
        print(f"  {name:<60} {ms:8.1f} ms  ×{ms / reference:6.2f} of count(*)  {flag}")
    print(f"  {worker[0]:<60} {worker[1]:8.1f} s  (in the worker, after the cold calls)")
    times = bench_page(code)
    print(f"\npage ready in Chromium ({len(times)} loads after a warm-up): median "
          f"{statistics.median(times):.2f}s, max {max(times):.2f}s (target ≤ "
          f"{PAGE_TARGET_S}s) {'OK' if max(times) <= PAGE_TARGET_S else 'SLOW'}")  # fmt: skip
    seconds = bench_pdf(user, code)
    print(f"PDF report of {code} in the worker task: {seconds:.1f}s (target ≤ "
          f"{PDF_TARGET_S:.0f}s) {'OK' if seconds <= PDF_TARGET_S else 'SLOW'}")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="drop and regenerate the data")
    parser.add_argument("--smoke", action="store_true", help="tiny scale, own database")
    parser.add_argument("--responses", type=int, help="responses = purchases (default 1M)")
    ARGS = parser.parse_args()
    configure(smoke=ARGS.smoke, responses=ARGS.responses)
    main()
