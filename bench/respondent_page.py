"""Server time and weight of the respondent pages (PRODUCT.md: under 20 ms, under 50 KB).

In-process with Django's test client against PostgreSQL, so it measures our code and the
database, not the network. Reference in the same run: Django's own /healthz-like minimal
view cost (`/healthz`), to show how much of the time is the framework itself.

The public rate limits stay in the measured path: every request comes from a new device
(`X-Device-Id`, as a phone sends its own), and the per-IP budget is raised past the request
count, as in bench/load.py, so that they are counted but never hit.

    .venv/bin/python bench/respondent_page.py [--requests 300] [--smoke]

Each page's weight is its HTML plus the CSS and JS files it links (uncompressed, as served
without gzip); branding (an organisation default with a logo and a colour) is set, so its
look-up is in the measured time. Pages: the first and second page of a paged survey, a page of
a one-question-per-page survey, an invitation's page and its thank-you page, the privacy page.

Also measured: the in-page survey's config endpoint (`/embed/v1/config/<key>/`, called from
another site's page), the SQL queries one warm request of each page runs (a count that a busy
machine cannot blur), each median as a multiple of the /healthz reference, and the in-page
script's gzipped size (target ≤ 15 KB). ``--profile`` prints cProfile's top functions of the
first page.

``--smoke``: 10 requests per page after 2 warm-up requests. Either way it exits non-zero when
a page does not answer 200, the second page is not the detractor's follow-up question, a
page with its CSS and JS weighs more than 50,000 bytes, or the in-page script gzipped weighs
more than 15 KB. Server time gets a verdict, not an exit code (a shared machine's noise is not
a regression).
"""

import argparse
import cProfile
import gzip
import io
import itertools
import os
import pstats
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Its own database, dropped and re-created (another name to keep concurrent runs apart).
DATABASE = os.environ.get("SURVEYHUB_PAGE_BENCH_DB", "surveyhub_page_bench")
MAX_BYTES = 50_000
MAX_MS = 20
MAX_SCRIPT_GZIP = 15 * 1024
SHOP = "https://shop.example.cn"
ASSET = re.compile(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"')


def asset_bytes(html: bytes) -> int:
    """The size of the CSS and JS files a page links (found by the static finders)."""
    from django.contrib.staticfiles import finders

    return sum(Path(finders.find(name.decode())).stat().st_size for name in ASSET.findall(html))


def invitation_url(survey) -> str:
    """A personal link to `survey` for a new customer, as the email would carry it."""
    from surveys.distribution.tokens import hash_token, new_seed, token_for
    from surveys.models import Customer, Distribution, Invitation

    seed = new_seed()
    customer = Customer.objects.create(external_id=f"bench-{seed[:8]}", name="王芳")
    Invitation.objects.create(
        distribution=Distribution.objects.create(survey=survey, channel="email"),
        customer=customer, token_seed=seed, token_hash=hash_token(token_for(seed)),
        status="sent", language="zh-hans",
    )  # fmt: skip
    return f"/i/{token_for(seed)}/"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--smoke", action="store_true", help="--requests 10, 2 warm-ups")
    parser.add_argument("--profile", action="store_true", help="cProfile the first page")
    parser.add_argument("--queries", action="store_true", help="print each page's SQL")
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
        # As in production: the rate limiter's counters in Redis (without it they would go to
        # the database cache, a dozen statements per request that production never runs).
        CACHE_URL=os.environ.get("SURVEYHUB_BENCH_CACHE_URL", "redis://127.0.0.1:6379/13"),
        # The invitation page is one token asked for again and again: lift its budget too.
        SURVEYHUB_RATELIMIT_TOKEN_PER_MINUTE="100000000",  # noqa: S106 (a limit, not a secret)
    )
    os.environ.pop("CELERY_BROKER_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    from surveys.design.services import (
        survey_create_from_template,
        survey_publish,
        survey_update,
    )
    from surveys.inpage.models import InPageSurvey
    from surveys.inpage.views import script_bytes
    from surveys.models import OrganisationBranding
    from surveys.responding.branding import brand_image_store

    # The site icon's PNG (an .ico holding one PNG after its 22-byte header) as the logo.
    icon_png = (ROOT / "surveys/static/surveys/favicon.ico").read_bytes()[22:]
    logo = brand_image_store(upload=io.BytesIO(icon_png), field="logo", max_bytes=100_000)
    OrganisationBranding(name="悦享生活", colour="#c8102e", logo=logo).save()
    survey = survey_publish(
        survey=survey_create_from_template(template_key="relationship_nps", slug="page-bench")
    )
    one_by_one = survey_publish(
        survey=survey_create_from_template(template_key="service_csat", slug="page-bench-one")
    )
    survey_update(survey=one_by_one, one_question_per_page=True)
    in_page = InPageSurvey.objects.create(
        name="bench", survey=survey, allowed_origins=SHOP, event_name="checkout"
    )
    personal = invitation_url(survey)
    finished = invitation_url(survey)
    done = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    done.post(finished, {"page": 0, "nps": "9", "_consent": "1", "action": "next"})
    done.post(finished, {"page": 1, "comment": "很好", "action": "submit"})
    pages = {
        "reference: /healthz": "/healthz",
        "survey first page /s/<slug>/": f"/s/{survey.slug}/",
        "survey second page (detractor)": None,
        "one question per page": f"/s/{one_by_one.slug}/",
        "invitation page /i/<token>/": personal,
        "thank-you page": finished,
        "privacy page": "/privacy/",
        "in-page config (other site)": f"/embed/v1/config/{in_page.key}/?device=bench-device",
    }
    answering = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")  # has a draft cookie after this POST
    step = answering.post(
        f"/s/{survey.slug}/", {"page": 0, "nps": "3", "_consent": "1", "action": "next", "rk": ""}
    )
    pages["survey second page (detractor)"] = step["Location"]
    devices = (f"bench-device-{n}" for n in itertools.count())
    print(
        f"{'page':<34} {'median ms':>10} {'p95 ms':>8} {'x ref':>6} {'queries':>7}"
        f" {'HTML':>7} {'+CSS+JS':>8}"
    )
    overweight, slow = [], []
    reference = None
    for name, url in pages.items():
        client = answering if "second" in name else Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        origin = {"Origin": SHOP} if "in-page" in name else {}
        for _ in range(warmups):
            # warm caches (templates, translations, questions, the look)
            client.get(url, headers={"X-Device-Id": next(devices), **origin})
        queries = []
        with connection.execute_wrapper(
            lambda run, sql, *rest, log=queries: log.append(sql) or run(sql, *rest)
        ):
            client.get(url, headers={"X-Device-Id": next(devices), **origin})
        if args.queries:
            print("\n".join(f"    {sql[:110]}" for sql in queries))
        times, size = [], 0
        for _ in range(args.requests):
            device = next(devices)
            start = time.perf_counter()
            response = client.get(url, headers={"X-Device-Id": device, **origin})
            times.append((time.perf_counter() - start) * 1000)
            size = len(response.content)
        if response.status_code != 200:
            sys.exit(f"{url} answered {response.status_code}")
        if "second" in name and b'name="reason"' not in response.content:
            sys.exit(f"{url} is not the detractor's second page (the draft was lost?)")
        if "thank-you" in name and "感谢".encode() not in response.content:
            sys.exit(f"{url} is not the thank-you page")
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        total = size + asset_bytes(response.content)
        median = statistics.median(times)
        reference = reference or median
        print(
            f"{name:<34} {median:>10.2f} {p95:>8.2f} {median / reference:>6.1f}"
            f" {len(queries):>7} {size:>7} {total:>8}"
        )
        if not name.startswith("reference"):
            overweight += [name] if total > MAX_BYTES else []
            slow += [name] if median > MAX_MS else []
    print(
        f"targets: server time ≤ {MAX_MS} ms (median), page + its CSS and JS ≤ {MAX_BYTES:,} bytes"
    )
    print("server time:", "OVER on " + ", ".join(slow) if slow else "within target")
    script = script_bytes()
    packed = len(gzip.compress(script, 9))
    print(
        f"in-page script /embed/v1/surveyhub.js: {len(script):,} bytes, {packed:,} gzipped"
        f" (target ≤ {MAX_SCRIPT_GZIP:,})"
    )
    if args.profile:
        profile(Client(HTTP_ACCEPT_LANGUAGE="zh-hans"), pages["survey first page /s/<slug>/"])
    if overweight:
        sys.exit("too heavy: " + ", ".join(overweight))
    if packed > MAX_SCRIPT_GZIP:
        sys.exit(f"the in-page script is {packed:,} bytes gzipped, over {MAX_SCRIPT_GZIP:,}")
    print("weight: within target")


def profile(client, url: str, requests: int = 200) -> None:
    """Where a warm first page spends its time (cumulative, top 25)."""
    profiler = cProfile.Profile()
    profiler.enable()
    for n in range(requests):
        client.get(url, headers={"X-Device-Id": f"bench-profile-{n}"})
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(
        r"surveys|surveyhub|template|psycopg|redis", 40
    )


if __name__ == "__main__":
    main()
