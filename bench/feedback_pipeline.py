"""Feedback items analysed end to end per second through a real Redis-backed Celery worker.

Generates N comments (the project's own labelled sentences and demo comments, varied),
bulk-inserts them as pending FeedbackItems, sends them the production way (batches of 100
on the `nlp` queue) and times one `celery worker -Q nlp -c 2` until every item is stored.
Prints items/second, the worker's items per CPU-second (what it costs whatever else runs on
the machine), the load average, and the peak resident memory (VmHWM) of each worker process.
Reference in the same run: the pure pipeline in this process on a sample of the same texts
(no database, no broker, items per CPU-second), so the overhead of the queue, the database
and case opening is visible.

    .venv/bin/python bench/feedback_pipeline.py [--items 100000] [--concurrency 2] [--smoke]
        [--database-url postgres://postgres@127.0.0.1:5432/h3]

``--smoke``: 200 items, at most 120 s. Either way it exits non-zero when an item is left
pending or its analysis failed.

Needs PostgreSQL on 127.0.0.1:5432 (trust) and `redis-server` (a private one is started on
a free port, so the shared Redis is never touched). Uses the database
`surveyhub_feedback_bench`, which it creates if missing and empties of feedback items, or
the one ``--database-url`` names (never ``DATABASE_URL``: the bench empties its items).
"""

import argparse
import csv
import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "surveyhub_feedback_bench"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
DATA = ROOT / "feedback" / "nlp" / "data"
PREFIXES = ["", "", "说实话，", "第二次买了，", "总的来说，", "朋友推荐的，", "双十一买的，"]
SUFFIXES = ["", "", "。", "！", "，下次还会再来", "，希望改进", "👍", "😡", "，订单号123456"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_texts() -> list[str]:
    texts = []
    for name in ("eval.tsv", "train_extra.tsv"):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            if "\t" in line:
                texts.append(line.split("\t", 1)[1])
    with (ROOT / "feedback" / "demo_comments.tsv").open(encoding="utf-8") as handle:
        texts.extend(row["text"] for row in csv.DictReader(handle, delimiter="\t"))
    return [t for t in texts if t.strip()]


def generate(n: int, seed: int = 2026) -> list[str]:
    rng = random.Random(seed)
    texts = base_texts()
    out = []
    for _ in range(n):
        text = rng.choice(texts)
        if rng.random() < 0.3:
            text = f"{text}，{rng.choice(texts)}"
        out.append(f"{rng.choice(PREFIXES)}{text}{rng.choice(SUFFIXES)}")
    return out


def process_tree(pid: int) -> list[int]:
    """pid and every descendant (the prefork pool's children)."""
    pids, frontier = [pid], [pid]
    while frontier:
        parent = frontier.pop()
        path = Path(f"/proc/{parent}/task/{parent}/children")
        try:
            children = [int(c) for c in path.read_text().split()]
        except OSError:
            children = []
        pids.extend(children)
        frontier.extend(children)
    return pids


def vm_hwm_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=1800, help="seconds to wait at most")
    parser.add_argument("--smoke", action="store_true", help="--items 200 --timeout 120")
    parser.add_argument(
        "--database-url",
        default=DATABASE_URL,
        help="a PostgreSQL database this bench may empty of feedback items (never DATABASE_URL)",
    )
    args = parser.parse_args()
    if args.smoke:
        args.items, args.timeout = 200, min(args.timeout, 120)

    if args.database_url == DATABASE_URL:
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE],
            stderr=subprocess.DEVNULL,
            check=False,
        )
    port = free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    redis = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "CELERY_BROKER_URL": broker,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from feedback.analysis.queueing import analysis_send
    from feedback.models import AnalysisStatus, FeedbackItem
    from feedback.nlp import pipeline

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE feedback_feedbackitem RESTART IDENTITY CASCADE")

    texts = generate(args.items)
    started = time.perf_counter()
    for start in range(0, len(texts), 5000):
        FeedbackItem.objects.bulk_create(
            FeedbackItem(text=t, source="import") for t in texts[start : start + 5000]
        )
    print(f"inserted {len(texts):,} items in {time.perf_counter() - started:.1f} s")

    # Reference: the pure pipeline, one process, no database or broker, same texts.
    sample = texts[:2000]
    pipeline.analyse(sample[:100])  # load the model and jieba first
    started = time.process_time()
    for start in range(0, len(sample), 100):
        pipeline.analyse(sample[start : start + 100])
    reference = len(sample) / (time.process_time() - started)

    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "surveyhub", "worker", "-Q", "nlp",
         "-c", str(args.concurrency), "--prefetch-multiplier", "1", "--loglevel=WARNING",
         "--without-gossip", "--without-mingle", "-n", f"bench-{os.getpid()}@%h"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        from surveyhub.celery import app

        deadline = time.monotonic() + 120
        while not app.control.ping(timeout=1):
            if time.monotonic() > deadline or worker.poll() is not None:
                raise SystemExit("the worker did not start")
        ids = list(FeedbackItem.objects.order_by("pk").values_list("pk", flat=True))
        started = time.perf_counter()
        sent = analysis_send(item_ids=ids)
        enqueue_seconds = time.perf_counter() - started
        peaks: dict[int, int] = {}
        # CPU seconds of the worker's processes: on a shared machine, items per CPU-second
        # says what the worker costs whatever else runs beside it.
        cpu: dict[int, float] = {pid: cpu_seconds(pid) for pid in process_tree(worker.pid)}
        cpu_before = dict(cpu)
        pending = FeedbackItem.objects.filter(analysis_status=AnalysisStatus.PENDING)
        deadline = time.monotonic() + args.timeout
        left = len(ids)
        while left and time.monotonic() < deadline:
            time.sleep(1)
            for pid in process_tree(worker.pid):
                peaks[pid] = max(peaks.get(pid, 0), vm_hwm_kib(pid))
                cpu[pid] = max(cpu.get(pid, 0.0), cpu_seconds(pid))
            left = pending.count()
        elapsed = time.perf_counter() - started
        for pid in process_tree(worker.pid):
            peaks[pid] = max(peaks.get(pid, 0), vm_hwm_kib(pid))
            cpu[pid] = max(cpu.get(pid, 0.0), cpu_seconds(pid))
    finally:
        worker.terminate()
        worker.wait(timeout=60)
        redis.terminate()

    done = len(ids) - left
    statuses = dict(
        FeedbackItem.objects.values_list("analysis_status").annotate(n=django.db.models.Count("pk"))
    )
    print(
        f"sent {sent:,} items in {sent // 100 + bool(sent % 100):,} tasks ({enqueue_seconds:.1f} s)"
    )
    print(f"analysed end to end: {done:,} items in {elapsed:.1f} s")
    print(
        f"throughput: {done / elapsed:,.0f} items/s with 1 worker, concurrency {args.concurrency}"
    )
    worker_cpu = sum(cpu.values()) - sum(cpu_before.values())
    print(
        f"worker CPU: {worker_cpu:,.1f} s for {done:,} items = "
        f"{done / max(worker_cpu, 1e-9):,.0f} items per CPU-second (analysis, database, cases)"
    )
    print(
        f"reference (pure pipeline, 1 process, no DB/broker): {reference:,.0f} items per CPU-second"
    )
    print(f"machine load average (1, 5, 15 min): {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    print(f"statuses: {statuses}")
    for pid, kib in sorted(peaks.items()):
        role = "main" if pid == worker.pid else "pool child"
        print(f"peak RSS (VmHWM) worker {role} {pid}: {kib / 1024:.0f} MiB")
    if left:
        raise SystemExit(f"{left:,} items still pending after {args.timeout:.0f} s")
    if statuses.get(AnalysisStatus.FAILED):
        raise SystemExit(f"{statuses[AnalysisStatus.FAILED]:,} items failed analysis")


if __name__ == "__main__":
    main()
