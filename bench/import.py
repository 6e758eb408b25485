"""Benchmark: our purchase import against django-import-export, same dirty file, same model.

Run: ``.venv/bin/python bench/import.py [--rows 20000] [--big-rows 1000000] [--smoke]``.
Needs PostgreSQL (``--database-url`` or ``BENCH_DATABASE_URL``, default
``postgres://postgres@127.0.0.1:5432/surveyhub_bench``, created and migrated if missing). Prints:

1. rows/second of our import and of django-import-export 4.4.3 (``ModelResource`` with
   ``import_id_fields=["order_id"]``, a customer FK by external ID, unknown customers created,
   the same cell parsers) on one generated file with realistic dirty rows — target ratio ≥ 10×;
2. a million-row purchase CSV imported by ``manage.py import_purchases`` (the code path of the
   Celery task) in a child process: wall time (target ≤ 60 s) and the child's peak RSS
   (target ≤ 400 MB).

``--smoke``: 300 rows compared, 2,000 in the child process. Either way it exits non-zero when
an import stores other than the file's valid rows (all but the ~2% made broken on purpose).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/surveyhub_bench"

HEADER = ["订单号", "会员号", "下单时间", "实付金额", "品类", "渠道", "手机号", "城市"]
CATEGORIES = ["服装", "鞋靴", "美妆", "食品", "数码", "家居", "母婴"]
CHANNELS = ["天猫", "京东", "微信小程序", "门店", "官网"]
CITIES = ["上海", "北京", "广州", "深圳", "杭州", "成都"]


def dirty_row(rng: random.Random, n: int, customers: int) -> list[str]:
    """One row as real exports have them: mixed date/amount/phone formats, ~2% broken."""
    customer = rng.randrange(customers)
    month, day, hour, minute = rng.randint(1, 12), rng.randint(1, 28), rng.randrange(24), 30
    date = rng.choice(
        [
            f"2026-{month:02d}-{day:02d}",
            f"2026/{month}/{day}",
            f"2026年{month}月{day}日",
            f"2026-{month:02d}-{day:02d} {hour:02d}:{minute:02d}",
        ]
    )
    value = rng.randint(10, 5000)
    amount = rng.choice(
        [f"{value}.00", f"¥{value:,}.00", f"{value}元", str(value).translate(FULL_WIDTH)]
    )
    if rng.random() < 0.02:
        amount = "-" + amount.lstrip("¥")  # a refund
    phone = f"138{customer:08d}"
    phone = rng.choice(
        [phone, f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}", f"{phone[:3]}-{phone[3:]}"]
    )
    broken = rng.random()
    if broken < 0.01:
        date = "昨天"
    elif broken < 0.02:
        amount = ""
    return [
        f"B{n:09d}", f"M{customer:07d}", date, amount, rng.choice(CATEGORIES),
        rng.choice(CHANNELS), phone, rng.choice(CITIES),
    ]  # fmt: skip


FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def write_file(path: Path, rows: int, *, customers: int, seed: int = 1) -> None:
    import csv

    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for n in range(rows):
            writer.writerow(dirty_row(rng, n, customers))


def valid_rows(path: Path) -> int:
    """Rows of a generated file that must be stored: all but those broken on purpose."""
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle)
        return sum(1 for row in rows if row["下单时间"] != "昨天" and row["实付金额"] != "")


def check(condition: bool, message: str) -> None:
    """A wrong result stops the bench with a non-zero exit (and the smoke run with it)."""
    if not condition:
        raise SystemExit(f"bench check failed: {message}")


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "surveyhub.settings")
    # DEBUG off needs a key; the import subprocesses inherit this one.
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    _create_database(database_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _create_database(database_url: str) -> None:
    import psycopg

    base, name = database_url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def empty_tables() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE analytics_purchase, analytics_importjob RESTART IDENTITY CASCADE")
        cursor.execute("DELETE FROM surveys_customer_tags")
        cursor.execute("TRUNCATE surveys_customer RESTART IDENTITY CASCADE")


def run_ours(path: Path) -> tuple[float, int]:
    from analytics.imports.jobs import import_job_create_for_path, import_job_run
    from analytics.models import Purchase

    empty_tables()
    start = time.perf_counter()
    job = import_job_create_for_path(kind="purchases", path=path)
    job = import_job_run(job_id=job.pk, path=path)
    elapsed = time.perf_counter() - start
    assert job.status == "succeeded", job.message
    return elapsed, Purchase.objects.count()


def run_import_export(path: Path) -> tuple[float, int]:
    from zoneinfo import ZoneInfo

    import tablib
    from import_export import fields, resources, widgets

    from analytics.imports.parsing import CellError, parse_amount, parse_datetime
    from analytics.models import Purchase
    from surveys.customers.phones import phone_or_none
    from surveys.models import Customer

    tz = ZoneInfo("Asia/Shanghai")

    class PurchaseResource(resources.ModelResource):
        order_id = fields.Field(attribute="order_id", column_name="订单号")
        customer = fields.Field(
            attribute="customer", column_name="会员号",
            widget=widgets.ForeignKeyWidget(Customer, field="external_id"),
        )  # fmt: skip
        ordered_at = fields.Field(attribute="ordered_at", column_name="下单时间")
        amount = fields.Field(attribute="amount", column_name="实付金额")
        category = fields.Field(attribute="category", column_name="品类")
        channel = fields.Field(attribute="channel", column_name="渠道")
        is_refund = fields.Field(attribute="is_refund", column_name="is_refund")

        class Meta:
            model = Purchase
            import_id_fields = ["order_id"]
            fields = ("order_id", "customer", "ordered_at", "amount", "category", "channel",
                      "is_refund")  # fmt: skip
            skip_unchanged = False
            use_bulk = False

        def before_import_row(self, row, **kwargs):
            # The same cleaning our importer does, so only the framework differs.
            try:
                row["下单时间"] = parse_datetime(row["下单时间"], tz=tz)
                row["实付金额"] = parse_amount(row["实付金额"]) if row["实付金额"] else None
            except CellError as exc:
                raise ValueError(str(exc)) from None
            if row["实付金额"] is None:
                raise ValueError("Amount is required.")
            row["is_refund"] = row["实付金额"] < 0
            Customer.objects.get_or_create(
                external_id=row["会员号"],
                defaults={"phone": phone_or_none(row["手机号"]) or "", "region": row["城市"]},
            )

    empty_tables()
    start = time.perf_counter()
    dataset = tablib.Dataset().load(path.read_text(encoding="utf-8"), format="csv")
    result = PurchaseResource().import_data(
        # No surrounding transaction: with one, a single bad row rolls back every good row.
        dataset, dry_run=False, raise_errors=False, use_transactions=False,
        collect_failed_rows=True,
    )  # fmt: skip
    elapsed = time.perf_counter() - start
    assert result.totals, result
    return elapsed, Purchase.objects.count()


def run_big(path: Path, database_url: str) -> tuple[float, int]:
    """The million-row import in a child process; returns (seconds, peak RSS in MB)."""
    from analytics.models import Purchase

    empty_tables()
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_LOG_LEVEL": "WARNING"}
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", "import_purchases", str(path)],
        cwd=REPO_ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    elapsed = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    stored, valid = Purchase.objects.count(), valid_rows(path)
    check(stored == valid, f"import_purchases stored {stored:,} of {valid:,} valid rows")
    return elapsed, peak_kb // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000, help="rows for the comparison")
    parser.add_argument("--big-rows", type=int, default=1_000_000, help="0 skips the big run")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--smoke", action="store_true", help="--rows 300 --big-rows 2000")
    args = parser.parse_args()
    if args.smoke:
        args.rows, args.big_rows = 300, 2_000
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SURVEYHUB_MEDIA_ROOT"] = tmp  # error reports go here, not into the repo
        setup_django(args.database_url)
        small = Path(tmp) / "dirty.csv"
        write_file(small, args.rows, customers=max(args.rows // 8, 1))
        ours_s, ours_n = run_ours(small)
        die_s, die_n = run_import_export(small)
        print(f"file: {args.rows} dirty rows ({small.stat().st_size / 1e6:.1f} MB)")
        print(
            f"ours:                 {args.rows / ours_s:10.0f} rows/s  ({ours_s:.2f} s, "
            f"{ours_n} purchases stored)"
        )
        print(
            f"django-import-export: {args.rows / die_s:10.0f} rows/s  ({die_s:.2f} s, "
            f"{die_n} purchases stored)"
        )
        print(f"ratio: {die_s / ours_s:.1f}x  (target >= 10x)")
        valid = valid_rows(small)
        check(ours_n == valid, f"ours stored {ours_n} of {valid} valid rows")
        check(die_n == valid, f"django-import-export stored {die_n} of {valid} valid rows")

        if args.big_rows:
            big = Path(tmp) / "big.csv"
            started = time.perf_counter()
            write_file(big, args.big_rows, customers=max(args.big_rows // 10, 1), seed=2)
            print(
                f"\n{args.big_rows} rows ({big.stat().st_size / 1e6:.0f} MB) generated in "
                f"{time.perf_counter() - started:.0f} s"
            )
            seconds, peak_mb = run_big(big, args.database_url)
            print(f"import into PostgreSQL: {seconds:.1f} s (target <= 60 s), "
                  f"{args.big_rows / seconds:.0f} rows/s, peak RSS {peak_mb} MB "
                  f"(target <= 400 MB)")  # fmt: skip


if __name__ == "__main__":
    main()
