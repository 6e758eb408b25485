"""Benchmark a survey's results and raw-data export on PostgreSQL.

Builds (once; kept between runs) one survey of 10 questions (NPS, CSAT, CES, three ratings,
single, multiple and dropdown choice, long text) with 1,000,000 completed responses in its own
database ``surveyhub_results_bench`` (``RESULTS_BENCH_DATABASE`` or ``--database`` name another,
so that concurrent runs stay apart). Then prints:

0. the build of the survey's results pre-aggregate (``surveys.results.cube``: codes, facts
   and cells; kept between runs while the data is, folded on each run; ``--rebuild-cube``
   times a full build);
1. ``GET /api/v1/surveys/{id}/results/`` per filter combination, in-process through the test
   client (session auth, JSON rendering included): median of 5 calls after a warm-up — target
   ≤ 300 ms each — beside ``SELECT count(*)`` of the same filtered responses, measured in the
   same run, and the ratio of the two; "cube" (the cells of one facet), "bits" (the AND of
   two facets' day bitmaps or more, a popcount per code and day), "facts" (one scan of the
   matching per-response facts) or "live" (the answer table) says which path answered — every
   filter the results offer, alone and combined;
2. the export to CSV (every response), XLSX and SPSS .sav (the last 36 days, about a tenth:
   they are much slower per row), each in a child process: rows/s and that process's peak
   RSS — CSV target ≥ 50,000 rows/s with peak RSS ≤ 300 MB.

Run: .venv/bin/python bench/results.py [--rebuild] [--rebuild-cube] [--smoke] [--database NAME]

``--smoke``: 3,000 responses in ``<database>_smoke`` (re-created each time), one
timed call per combination. Either way it exits non-zero on an error, a call that does not
answer 200, or a wrong count (responses, NPS answers, exported rows).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from bench.postgres import setup_django_on  # noqa: E402

DATABASE = os.environ.get("RESULTS_BENCH_DATABASE", "surveyhub_results_bench")
RESPONSES = 1_000_000
RUNS = 5
TARGET_MS = 300.0
CSV_ROWS_PER_S = 50_000
CSV_RSS_MB = 300
TODAY = dt.date(2026, 11, 24)
SLUG = "results-bench"
STORES = [f"S{n:02d}" for n in range(20)]
CHANNELS = ["email", "link", "wechat", "qr"]


def check(condition: bool, message: str) -> None:
    if not condition:
        print(f"WRONG: {message}", file=sys.stderr)
        sys.exit(1)


def database_url() -> str:
    return f"postgres://postgres@127.0.0.1:5432/{DATABASE}"


def setup_django(*, rebuild: bool) -> None:
    setup_django_on(DATABASE, rebuild=rebuild)


QUESTIONS = [
    {"key": "nps", "type": "nps", "text": "推荐意愿", "text_en": "Recommend?"},
    {"key": "csat", "type": "csat", "text": "满意度", "text_en": "Satisfied?"},
    {"key": "ces", "type": "ces", "text": "办理容易", "text_en": "Easy?"},
    {"key": "speed", "type": "rating", "text": "配送速度", "text_en": "Delivery speed"},
    {"key": "quality", "type": "rating", "text": "商品质量", "text_en": "Quality"},
    {"key": "staff", "type": "rating", "text": "店员服务", "text_en": "Staff"},
    {"key": "visit", "type": "single", "text": "到店频率", "text_en": "Visits", "options": [
        {"value": v, "label": label}
        for v, label in [("a", "每周"), ("b", "每月"), ("c", "每季"), ("d", "很少")]]},
    {"key": "reasons", "type": "multiple", "text": "原因", "text_en": "Reasons", "options": [
        {"value": v, "label": v} for v in ["delivery", "quality", "price", "service", "app"]]},
    {"key": "age", "type": "dropdown", "text": "年龄", "text_en": "Age", "options": [
        {"value": v, "label": v} for v in ["18-24", "25-34", "35-44", "45+"]]},
    {"key": "comment", "type": "long_text", "text": "其他意见", "text_en": "Comments"},
]  # fmt: skip


def generate():
    """The survey and its responses (bulk_create) and answers (one INSERT … SELECT)."""
    from django.db import connection
    from django.utils import timezone

    from surveys.design.services import survey_create, survey_publish
    from surveys.models import Question, Response, Survey

    survey = Survey.objects.filter(slug=SLUG).first()
    if survey and Response.objects.filter(survey=survey).count() >= RESPONSES:
        print(f"data: reusing {RESPONSES:,} responses in {DATABASE}")
        return build_cube(survey)
    started = time.perf_counter()
    if survey is None:
        survey = survey_create(title="结果基准", slug=SLUG, kind="nps", questions=QUESTIONS)
        survey = survey_publish(survey=survey)
    with connection.cursor() as cursor:
        # Marks the pre-aggregate stale (a trigger); the row triggers are skipped below
        # (replica role), the cube is rebuilt after the data.
        cursor.execute("TRUNCATE surveys_response CASCADE")
        cursor.execute("SET session_replication_role = replica")
    with connection.cursor() as cursor:
        # One statement: the NOT NULL columns of a response (bulk_create of a million rows
        # takes most of an hour on a shared machine), scores drawn at random.
        cursor.execute(_RESPONSES_SQL, {
            "n": RESPONSES, "survey": survey.pk, "version": survey.current_version_id,
            "end": timezone.make_aware(dt.datetime.combine(TODAY, dt.time(20))),
        })  # fmt: skip
    ids = dict(Question.objects.filter(version=survey.current_version).values_list("key", "pk"))
    add_customers_and_distribution(survey)
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.14)")
        cursor.execute(_ANSWERS_SQL, {**{f"q_{k}": v for k, v in ids.items()}, "survey": survey.pk})
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("ANALYZE surveys_response; ANALYZE surveys_answer")
    print(f"data: {RESPONSES:,} responses in {time.perf_counter() - started:.0f}s")
    return build_cube(survey)


REGIONS = ["华东", "华南", "华北", "西南"]
CUSTOMERS = 20_000


def add_customers_and_distribution(survey) -> None:
    """Customers (region, RFM segment and value tier of one CLV run) answering 40% of the
    responses, and one email distribution whose invitations answered 20,000 of them."""
    import hashlib

    from django.db import connection

    from analytics.metrics.rfm import SEGMENTS
    from analytics.models import ClvRun, CustomerValue
    from surveys.models import Customer, Distribution, Invitation

    n = min(CUSTOMERS, max(RESPONSES // 50, 20))
    customers = Customer.objects.bulk_create(
        [Customer(name=f"客户{i}", region=REGIONS[i % 4]) for i in range(n)], batch_size=2000
    )
    run = ClvRun.objects.create(as_of=TODAY, r=1, alpha=1, a=1, b=1, bgnbd_log_likelihood=0,
                                n_customers=n)  # fmt: skip
    tiers = ["high", "medium", "low"]
    CustomerValue.objects.bulk_create([
        CustomerValue(run=run, customer=c, frequency=1, recency=1, T=1, monetary=1,
                      recency_days=1, orders=1, spend=1, r_score=1, f_score=1, m_score=1,
                      rfm_segment=SEGMENTS[i % 8].code, p_alive=1, expected_orders_1y=1,
                      clv=1, value_tier=tiers[i % 3])
        for i, c in enumerate(customers)
    ], batch_size=2000)  # fmt: skip
    distribution = Distribution.objects.create(survey=survey, name="十一月邮件", channel="email")
    invitations = Invitation.objects.bulk_create([
        Invitation(distribution=distribution, customer=c, token_seed=str(c.pk),
                   token_hash=hashlib.sha256(f"bench-{c.pk}".encode()).hexdigest())
        for c in customers
    ], batch_size=2000)  # fmt: skip
    low = customers[0].pk
    with connection.cursor() as cursor:
        # 40% of the responses have a customer; the first response of each customer (by id)
        # answered its invitation.
        cursor.execute(
            "UPDATE surveys_response SET customer_id = %s + id %% %s WHERE survey_id = %s"
            " AND id %% 5 < 2", [low, n, survey.pk])  # fmt: skip
        cursor.execute(
            "UPDATE surveys_response r SET invitation_id = i.id FROM surveys_invitation i,"
            " (SELECT customer_id, min(id) AS first FROM surveys_response WHERE survey_id = %s"
            "  AND customer_id IS NOT NULL GROUP BY customer_id) f"
            " WHERE r.id = f.first AND i.customer_id = f.customer_id AND i.distribution_id = %s",
            [survey.pk, distribution.pk])  # fmt: skip
    print(f"data: {n:,} customers, {len(invitations):,} invitations")


REBUILD_CUBE = False


def build_cube(survey):
    """Build (or fold up to now) the survey's results pre-aggregate, and say how long."""
    from surveys.models import ResultCubeCell, ResultFact
    from surveys.models.results import ResultDayBits
    from surveys.results.cube import cube_refresh

    started = time.perf_counter()
    done = cube_refresh(survey=survey, rebuild=REBUILD_CUBE)
    cells = ResultCubeCell.objects.filter(survey=survey).count()
    facts = ResultFact.objects.filter(survey=survey).count()
    bits = ResultDayBits.objects.filter(survey=survey).count()
    print(f"pre-aggregate: {done} in {time.perf_counter() - started:.1f}s ({cells:,} cells, "
          f"{facts:,} facts, {bits:,} day bitmaps)")  # fmt: skip
    return survey


_RESPONSES_SQL = """
INSERT INTO surveys_response (survey_id, version_id, channel, store, source, language, status,
  respondent_key, started_at, completed_at, announced_at, nps_score, csat_score, ces_score,
  announce_attempts, announce_error, device_key)
SELECT %(survey)s, %(version)s, (ARRAY['email','link','wechat','qr'])[1 + floor(random() * 4)::int],
  'S' || lpad(floor(random() * 20)::int::text, 2, '0'), '{}'::jsonb, 'zh-hans', 'completed',
  gen_random_uuid(), t.done - interval '1 second' * (20 + floor(random() * 880)), t.done, t.done,
  floor(random() * 11)::int, 1 + floor(random() * 5)::int, 1 + floor(random() * 7)::int, 0, '',
  -- About 1%% share a device with an earlier response (duplicates).
  'dev' || floor(random() * 50 * %(n)s)::bigint
FROM (SELECT %(end)s::timestamptz - interval '1 second' * floor(random() * 365 * 86400) AS done
      FROM generate_series(1, %(n)s)) t
"""

_ANSWERS_SQL = """
INSERT INTO surveys_answer (response_id, question_id, question_key, number, text, choices, other_text)
SELECT r.id, q.question_id, q.key, q.number, q.text, q.choices, ''
FROM surveys_response r
CROSS JOIN LATERAL (
  -- r.id makes the subquery correlated: new random numbers for every response.
  SELECT floor(random() * 4 + 0 * r.id)::int AS pick, floor(random() * 5 + 0 * r.id)::int AS pick5,
         random() + 0 * r.id AS coin
) x
CROSS JOIN LATERAL (VALUES
  (%(q_nps)s, 'nps', r.nps_score::int, '', '[]'::jsonb),
  (%(q_csat)s, 'csat', r.csat_score::int, '', '[]'::jsonb),
  (%(q_ces)s, 'ces', r.ces_score::int, '', '[]'::jsonb),
  (%(q_speed)s, 'speed', 1 + x.pick5, '', '[]'::jsonb),
  (%(q_quality)s, 'quality', 1 + (x.pick5 + x.pick) %% 5, '', '[]'::jsonb),
  (%(q_staff)s, 'staff', 1 + (x.pick5 * 3 + x.pick) %% 5, '', '[]'::jsonb),
  (%(q_visit)s, 'visit', NULL, '', jsonb_build_array((ARRAY['a','b','c','d'])[1 + x.pick])),
  (%(q_reasons)s, 'reasons', NULL, '', CASE WHEN x.coin < 0.4 THEN jsonb_build_array(
      (ARRAY['delivery','quality','price','service','app'])[1 + x.pick5],
      (ARRAY['delivery','quality','price','service','app'])[1 + (x.pick5 + 1 + x.pick) %% 5])
    ELSE jsonb_build_array((ARRAY['delivery','quality','price','service','app'])[1 + x.pick5]) END),
  (%(q_age)s, 'age', NULL, '', jsonb_build_array((ARRAY['18-24','25-34','35-44','45+'])[1 + (x.pick + x.pick5) %% 4])),
  (%(q_comment)s, CASE WHEN x.coin < 0.1 THEN 'comment' END, NULL, '物流有点慢，包装还行', '[]'::jsonb)
) AS q(question_id, key, number, text, choices)
WHERE r.survey_id = %(survey)s AND q.key IS NOT NULL
"""  # noqa: E501


COMBINATIONS = {
    "no filter": {},
    "last 90 days": {"from": "2026-08-27", "to": "2026-11-24"},
    "channel=wechat": {"channel": "wechat"},
    "store=S03": {"store": "S03"},
    "region=华东": {"region": "华东"},
    "distribution": {"distribution": "{distribution}"},
    "version=1": {"version": "1"},
    "segment=important_value": {"segment": "important_value"},
    "value_tier=high": {"value_tier": "high"},
    "nps_group=detractor": {"nps_group": "detractor"},
    "q=nps:0-6": {"q": "nps:0-6"},
    "q=reasons:delivery": {"q": "reasons:delivery"},
    "q=speed:4-5 (rating)": {"q": "speed:4-5"},
    "q=visit:a + 30 days": {"q": "visit:a", "from": "2026-10-26"},
    "exclude=speeders": {"exclude": "speeders"},
    "exclude=all three flags": {"exclude": "speeders,straightliners,duplicates"},
    "90 days + wechat + store": {"from": "2026-08-27", "to": "2026-11-24", "channel": "wechat",
                                 "store": "S03"},
    "wechat + detractor": {"channel": "wechat", "nps_group": "detractor"},
    "region + exclude speeders": {"region": "华东", "exclude": "speeders"},
    "segment + value tier + NPS 0-6": {"segment": "important_value", "value_tier": "high",
                                       "q": "nps:0-6"},
    "reasons:price + visit:b": {"q": ["reasons:price", "visit:b"]},
    "store + 30 days + no speeders": {"store": "S07", "from": "2026-10-26",
                                      "exclude": "speeders"},
}  # fmt: skip


def timed(fn, runs=None) -> float:
    fn()
    times = []
    for _ in range(runs or RUNS):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def bench_results(survey) -> None:
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client

    from surveyhub.security.roles import Role, sync_roles
    from surveys.models import Answer, Distribution
    from surveys.results.filters import filtered_responses, parse_filters
    from surveys.results.queries import result_summary

    sync_roles()
    user, _ = get_user_model().objects.get_or_create(username="results-bench", is_staff=True)
    user.groups.set([user.groups.model.objects.get(name=Role.MANAGER.value)])
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    url = f"/api/v1/surveys/{survey.pk}/results/"
    print(f"\nresults JSON on {RESPONSES:,} responses (median of {RUNS}, ms; target ≤ "
          f"{TARGET_MS:.0f}):")  # fmt: skip
    distribution = Distribution.objects.filter(survey=survey).values_list("pk", flat=True)
    slow = 0
    for label, raw in COMBINATIONS.items():
        params = {k: v.format(distribution=distribution.first()) if isinstance(v, str) else v
                  for k, v in raw.items()}  # fmt: skip
        filters = parse_filters(params, survey=survey)
        responses = filtered_responses(survey, filters)
        path = result_summary(survey, filters).path
        reference = timed(lambda responses=responses: responses.count())
        reply = client.get(url, params)
        check(reply.status_code == 200, f"{label}: status {reply.status_code}")
        ms = timed(lambda params=params: client.get(url, params))
        body = reply.json()
        expected = responses.count()
        check(body["responses"] == expected, f"{label}: {body['responses']} ≠ {expected}")
        nps = next(q for q in body["questions"] if q["key"] == "nps")
        recount = Answer.objects.filter(response__in=responses, question_key="nps").aggregate(
            n=Count("pk"))["n"]  # fmt: skip
        check(sum(e["count"] for e in nps["distribution"]) == recount, f"{label}: NPS answers")
        flag = "OK" if ms <= TARGET_MS else "SLOW"
        slow += ms > TARGET_MS
        print(f"  {label:<32} n={expected:>9,}  {ms:8.1f} ms {path:<5}  count(*) "
              f"{reference:7.1f} ms  ×{ms / max(reference, 0.01):6.1f}  {flag}")  # fmt: skip
    print(f"  {len(COMBINATIONS) - slow} of {len(COMBINATIONS)} combinations ≤ {TARGET_MS:.0f} ms")


# XLSX and SAV are far slower per row than CSV: at full scale they export the last 36 days
# (about a tenth of the responses), the CSV everything.
SUBSET = {"from": "2026-10-20"}


def export_child(fmt: str, params: dict) -> None:
    """In a child process: export the survey's responses for `params`, print rows and
    seconds."""
    from django.utils.translation import activate

    from surveys.models import Survey
    from surveys.results import exports
    from surveys.results.filters import filtered_responses, parse_filters, survey_questions

    activate("zh-hans")
    survey = Survey.objects.get(slug=SLUG)
    questions = survey_questions(survey)
    responses = filtered_responses(survey, parse_filters(params, survey=survey))
    columns = exports.export_columns(questions, "zh-hans")
    started = time.perf_counter()
    if fmt == "csv":
        rows = -1
        with open(os.devnull, "wb") as sink:
            for chunk in exports.stream_csv(responses, columns, codes=False):
                rows += chunk.count(b"\n")
                sink.write(chunk)
    else:
        writer = exports.write_xlsx if fmt == "xlsx" else exports.write_sav
        kwargs = {"title": survey.slug} if fmt == "xlsx" else {}
        with writer(responses, columns, codes=False, **kwargs) as target:
            size = target.seek(0, 2)
        rows = responses.count() if size else 0
    seconds = time.perf_counter() - started
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_kb": _own_peak_kb()}))


def _own_peak_kb() -> int:
    """This process's peak resident set (VmHWM): the rusage of a child also counts what its
    parent had resident when it forked (Linux keeps maxrss across exec)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def bench_exports() -> None:
    from surveys.models import Survey
    from surveys.results.filters import filtered_responses, parse_filters

    survey = Survey.objects.get(slug=SLUG)
    print("\nexports (a child process each):")
    for fmt in ("csv", "xlsx", "sav"):
        params = {} if fmt == "csv" or RESPONSES < 100_000 else SUBSET
        expected = filtered_responses(survey, parse_filters(params, survey=survey)).count()
        proc = subprocess.Popen(
            [sys.executable, __file__, "--export-child", fmt, "--database", DATABASE,
             "--params", json.dumps(params)],
            stdout=subprocess.PIPE, env={**os.environ, "DATABASE_URL": database_url()},
        )  # fmt: skip
        out = proc.stdout.read()
        _pid, status, usage = os.wait4(proc.pid, 0)
        check(status == 0, f"{fmt} export failed")
        result = json.loads(out.decode().strip().splitlines()[-1])
        rss_mb = result.get("peak_kb", usage.ru_maxrss) / 1024
        rate = result["rows"] / result["seconds"]
        check(result["rows"] == expected, f"{fmt}: {result['rows']} rows ≠ {expected}")
        verdict = ""
        if fmt == "csv":
            good = rate >= CSV_ROWS_PER_S and rss_mb <= CSV_RSS_MB
            verdict = f"(target ≥ {CSV_ROWS_PER_S:,} rows/s, ≤ {CSV_RSS_MB} MB) " + (
                "OK" if good else "SLOW")  # fmt: skip
        print(f"  {fmt:<5} {result['rows']:>9,} rows in {result['seconds']:7.1f}s = "
              f"{rate:9,.0f} rows/s, peak RSS {rss_mb:6.0f} MB {verdict}")  # fmt: skip


def main(args) -> None:
    global DATABASE, RESPONSES, RUNS, REBUILD_CUBE
    REBUILD_CUBE = args.rebuild_cube
    if args.smoke:
        DATABASE, RESPONSES, RUNS = f"{DATABASE}_smoke", 3_000, 1
    if args.database:
        DATABASE = args.database
    if args.export_child:
        os.environ["DATABASE_URL"] = database_url()
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
        import django

        django.setup()
        export_child(args.export_child, json.loads(args.params or "{}"))
        return
    setup_django(rebuild=args.rebuild or args.smoke)
    survey = generate()
    bench_results(survey)
    bench_exports()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="drop and regenerate the data")
    parser.add_argument("--rebuild-cube", action="store_true", help="time a full cube build")
    parser.add_argument("--smoke", action="store_true", help="tiny scale, own database")
    parser.add_argument("--database", help="the PostgreSQL database to use (created)")
    parser.add_argument("--export-child", choices=["csv", "xlsx", "sav"], help=argparse.SUPPRESS)
    parser.add_argument("--params", help=argparse.SUPPRESS)
    main(parser.parse_args())
