"""Responses per second of the public JSON submit endpoint on PostgreSQL, under concurrency.

Reference, measured in the same run with the same server and load generator: a bare Django
view in this project that inserts one row. Target: ours ≥ 0.5 × the reference.

    .venv/bin/python bench/submit.py [--seconds 15] [--connections 16] [--workers 4] [--smoke]
    .venv/bin/python bench/submit.py --profile [--requests 500]

``--profile``: no server and no wrk; the same two endpoints called in one process through
the whole middleware stack (Django's test client), CPU milliseconds per request of each
(CPU time: it does not move with the load of a shared machine), then cProfile's top entries
of the public submit. Where the time of a submit goes, not a throughput.

Needs PostgreSQL on 127.0.0.1:5432 (trust) and `wrk` (apt-get install -y wrk).

``--smoke``: one round of 2 s after a 1 s warm-up. Either way it exits non-zero when a request
failed (non-2xx or a socket error) or a submit answered 2xx is not in the database.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Its own database (another name, and other Redis databases, keep concurrent runs apart).
DATABASE = os.environ.get("SURVEYHUB_SUBMIT_BENCH_DB", "surveyhub_submit_bench")
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
BROKER_URL = os.environ.get("SURVEYHUB_BENCH_BROKER_URL", "redis://127.0.0.1:6379/14")
CACHE_URL = os.environ.get("SURVEYHUB_BENCH_CACHE_URL", "redis://127.0.0.1:6379/13")
ANSWERS = {"nps": 4, "reason": ["delivery", "service"], "comment": "物流太慢了，客服态度也一般😤"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of each")
    parser.add_argument("--smoke", action="store_true", help="one round of 2 s, 1 s warm-up")
    parser.add_argument("--profile", action="store_true", help="CPU per request and cProfile")
    parser.add_argument("--requests", type=int, default=500, help="--profile: per endpoint")
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.in_process:
        profile_in_process(requests=args.requests)
        return
    warmup = 1 if args.smoke else 3
    if args.smoke:
        args.seconds, args.rounds = 2, 1
    if shutil.which("wrk") is None and not args.profile:
        sys.exit("wrk is needed: apt-get install -y wrk")

    # As in production: a broker, so listeners of response_submitted enqueue their work
    # (no worker consumes it here; the queue is purged before and after).
    env = {**os.environ, "DATABASE_URL": DATABASE_URL, "DJANGO_SETTINGS_MODULE": "bench.settings",
           "DJANGO_SECRET_KEY": "bench-" + "x" * 50, "CELERY_BROKER_URL": BROKER_URL,
           # The rate limiter stays in the measured path (its counters in Redis, as in
           # production); wrk is one client on one IP, so its IP budget is lifted.
           "CACHE_URL": CACHE_URL, "SURVEYHUB_RATELIMIT_IP_PER_MINUTE": "100000000"}  # fmt: skip
    subprocess.run(
        ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DATABASE], check=True
    )
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE], check=True)
    manage = [sys.executable, "manage.py"]
    setup = (
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "from surveys.design.services import survey_create_from_template, survey_publish\n"
        "s = survey_create_from_template(template_key='relationship_nps', slug='bench-nps')\n"
        "s.current_version.consent_text = ''; s.current_version.save()\n"
        "survey_publish(survey=s)\n"
    )
    subprocess.run([*manage, "shell", "--no-imports", "-c", setup], cwd=ROOT, env=env, check=True)
    if args.profile:
        inside = [sys.executable, __file__, "--in-process", "--requests", str(args.requests)]
        subprocess.run(inside, cwd=ROOT, env=env, check=True)
        return

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "surveyhub.wsgi", "--workers", str(args.workers),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(base)
        targets = {
            "reference: bare insert view": f"{base}/bench/bare-insert/",
            "ours: public submit": f"{base}/api/v1/public/surveys/bench-nps/responses/",
        }
        body = json.dumps({"answers": ANSWERS, "channel": "api"}, ensure_ascii=False)
        warmups = {
            name: _run_wrk(url, body, seconds=warmup, connections=args.connections)
            for name, url in targets.items()
        }
        # Alternate the two so that load from elsewhere on a shared machine hits both alike.
        rounds: dict[str, list[dict]] = {name: [] for name in targets}
        for _ in range(args.rounds):
            for name, url in targets.items():
                rounds[name].append(
                    _run_wrk(url, body, seconds=args.seconds, connections=args.connections)
                )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        subprocess.run(["redis-cli", "-n", BROKER_URL.rsplit("/", 1)[1], "flushdb"], check=False)

    print(
        f"\nPostgreSQL, gunicorn {args.workers} sync workers, wrk {args.connections} connections,"
        f" {args.rounds} alternating rounds of {args.seconds} s, on {os.cpu_count()} cores"
    )
    ref_name, ours_name = list(targets)
    ratios = []
    for index, (ref, ours) in enumerate(zip(rounds[ref_name], rounds[ours_name], strict=True)):
        for name, r in ((ref_name, ref), (ours_name, ours)):
            print(f"round {index + 1}  {name:<28} {r['rps']:>7.0f} req/s   p50 {r['p50']:>6.1f} ms"
                  f"   p99 {r['p99']:>6.1f} ms   non-2xx {r['errors']}")  # fmt: skip
        ratios.append(ours["rps"] / ref["rps"])
    ratio = statistics.median(ratios)
    p99 = statistics.median(r["p99"] for r in rounds[ours_name])
    print(f"ratio ours / reference per round: {', '.join(f'{x:.2f}' for x in ratios)}")
    print(f"median ratio {ratio:.2f} (target ≥ 0.50 → {'MET' if ratio >= 0.5 else 'MISSED'}); "
          f"submit p99 {p99:.1f} ms")  # fmt: skip
    check(rounds, warmups, connections=args.connections)


def profile_in_process(*, requests: int) -> None:
    """CPU ms per request of the reference and of the public submit, then the submit's
    profile (see the module's docstring)."""
    import cProfile
    import pstats

    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client

    client = Client(SERVER_NAME="127.0.0.1")
    body = json.dumps({"answers": ANSWERS, "channel": "api"}, ensure_ascii=False)
    paths = {"reference: bare insert view": "/bench/bare-insert/",
             "ours: public submit": "/api/v1/public/surveys/bench-nps/responses/"}  # fmt: skip

    def call(path: str) -> None:
        answered = client.post(path, body, content_type="application/json")
        if answered.status_code != 201:
            sys.exit(f"{path} answered {answered.status_code}: {answered.content[:300]!r}")

    for path in paths.values():  # warm-up: connections, caches, imports
        for _ in range(30):
            call(path)
    cpu: dict[str, list[float]] = {name: [] for name in paths}
    for _ in range(4):  # alternating, as the throughput rounds
        for name, path in paths.items():
            started = time.process_time()
            for _ in range(requests):
                call(path)
            cpu[name].append((time.process_time() - started) * 1000 / requests)
    for name, values in cpu.items():
        print(f"{name:<28} {min(values):6.3f} CPU ms per request (best of 4 × {requests})")
    ours, ref = min(cpu["ours: public submit"]), min(cpu["reference: bare insert view"])
    print(f"CPU ratio reference / ours: {ref / ours:.2f}")
    profiler = cProfile.Profile(time.process_time)  # CPU, not waiting on the database
    profiler.enable()
    for _ in range(requests):
        call(paths["ours: public submit"])
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)


def check(rounds: dict[str, list[dict]], warmups: dict[str, dict], *, connections: int) -> None:
    """No failed request; every submit answered 2xx is stored (a few more may be: requests
    in flight when wrk stopped are finished by gunicorn but not counted)."""
    runs = [*warmups.values(), *(r for results in rounds.values() for r in results)]
    failed = sum(r["errors"] + r["socket_errors"] for r in runs)
    ours = [warmups["ours: public submit"], *rounds["ours: public submit"]]
    acknowledged = sum(r["requests"] - r["errors"] for r in ours)
    stored = int(subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DATABASE, "-tAc",
         "SELECT count(*) FROM surveys_response WHERE status = 'completed'"],
        capture_output=True, text=True, check=True,
    ).stdout)  # fmt: skip
    print(f"check: {failed} failed requests; {acknowledged} submits answered 2xx, "
          f"{stored} completed responses stored")  # fmt: skip
    if failed:
        sys.exit(f"bench check failed: {failed} requests failed")
    if not acknowledged <= stored <= acknowledged + connections * len(ours):
        sys.exit(f"bench check failed: {stored} responses stored for {acknowledged} answered")


def _run_wrk(url: str, body: str, *, seconds: int, connections: int) -> dict:
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False, encoding="utf-8")  # noqa: SIM115
    lua_body = body.replace("\\", "\\\\").replace('"', '\\"')
    script.write(
        'wrk.method = "POST"\n'
        f'wrk.body = "{lua_body}"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        "done = function(summary, latency, requests)\n"
        "  local e = summary.errors\n"
        '  io.write(string.format("JSON {\\"p50\\": %f, \\"p99\\": %f, \\"non2xx\\": %d, '
        '\\"requests\\": %d, \\"socket\\": %d}\\n",'
        " latency:percentile(50)/1000, latency:percentile(99)/1000, e.status,"
        " summary.requests, e.connect + e.read + e.write + e.timeout))\n"
        "end\n"
    )
    script.close()
    out = subprocess.run(
        # --timeout 10s: on a loaded machine a slow answer is slow, not a socket error.
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency",
         "-s", script.name, url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    stats = json.loads(out.split("JSON ", 1)[1].splitlines()[0])
    return {"rps": rps, "p50": stats["p50"], "p99": stats["p99"], "errors": stats["non2xx"],
            "requests": stats["requests"], "socket_errors": stats["socket"]}  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(base: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1)  # noqa: S310 (loopback)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


if __name__ == "__main__":
    main()
