"""Server time and weight of the respondent pages (PRODUCT.md: under 20 ms, under 50 KB).

In-process with Django's test client against PostgreSQL, so it measures our code and the
database, not the network. Reference in the same run: Django's own /healthz-like minimal
view cost (`/healthz`), to show how much of the time is the framework itself.

The public rate limits stay in the measured path: every request comes from a new device
(`X-Device-Id`, as a phone sends its own), and the per-IP budget is raised past the request
count, as in bench/load.py, so that they are counted but never hit.

    .venv/bin/python bench/respondent_page.py [--requests 300] [--smoke]

``--smoke``: 10 requests per page after 2 warm-up requests. Either way it exits non-zero when
a page does not answer 200 or the second page is not the detractor's follow-up question.
"""

import argparse
import itertools
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "surveyhub_page_bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--smoke", action="store_true", help="--requests 10, 2 warm-ups")
    args = parser.parse_args()
    warmups = 2 if args.smoke else 20
    if args.smoke:
        args.requests = 10
    pg = ["-h", "127.0.0.1", "-U", "postgres"]
    subprocess.run(["dropdb", *pg, "--if-exists", DATABASE], check=True)
    subprocess.run(["createdb", *pg, DATABASE], check=True)
    os.environ.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        DJANGO_SETTINGS_MODULE="bench.settings",
        SURVEYHUB_RATELIMIT_IP_PER_MINUTE="100000000",
    )
    os.environ.pop("CELERY_BROKER_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    from surveys.design.services import survey_create_from_template, survey_publish

    survey = survey_publish(
        survey=survey_create_from_template(template_key="relationship_nps", slug="page-bench")
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    pages = {
        "reference: /healthz": "/healthz",
        "survey first page /s/<slug>/": f"/s/{survey.slug}/",
        "survey second page (detractor)": None,
        "privacy page": "/privacy/",
    }
    answering = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")  # has a draft cookie after this POST
    step = answering.post(
        f"/s/{survey.slug}/", {"page": 0, "nps": "3", "_consent": "1", "action": "next", "rk": ""}
    )
    pages["survey second page (detractor)"] = step["Location"]
    devices = (f"bench-device-{n}" for n in itertools.count())
    print(f"{'page':<34} {'median ms':>10} {'p95 ms':>8} {'bytes':>8}")
    for name, url in pages.items():
        client = answering if "second" in name else Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        for _ in range(warmups):
            # warm caches (templates, translations, questions)
            client.get(url, headers={"X-Device-Id": next(devices)})
        times, size = [], 0
        for _ in range(args.requests):
            device = next(devices)
            start = time.perf_counter()
            response = client.get(url, headers={"X-Device-Id": device})
            times.append((time.perf_counter() - start) * 1000)
            size = len(response.content)
        if response.status_code != 200:
            sys.exit(f"{url} answered {response.status_code}")
        if "second" in name and b'name="reason"' not in response.content:
            sys.exit(f"{url} is not the detractor's second page (the draft was lost?)")
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(f"{name:<34} {statistics.median(times):>10.2f} {p95:>8.2f} {size:>8}")
    print("targets: server time < 20 ms, page weight < 50,000 bytes (HTML; CSS+JS add ~4 KB)")


if __name__ == "__main__":
    main()
