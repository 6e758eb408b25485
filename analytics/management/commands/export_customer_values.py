"""`export_customer_values PATH [--as-of DATE] [--horizon-days N]`: one CSV row per customer
of a CLV run, with churn risk over N days (default SURVEYHUB_CHURN_HORIZON_DAYS)."""

import csv

from django.core.management.base import BaseCommand, CommandError

from analytics.evaluations.clv_runs import clv_fit
from analytics.evaluations.errors import EvaluationError
from analytics.evaluations.exports import CUSTOMER_VALUE_COLUMNS, customer_value_rows
from analytics.management.commands.fit_clv import parse_date
from analytics.models import ClvRun
from analytics.relationship.churn_runs import default_horizon
from surveys.privacy.access_log import personal_data_access_record


class Command(BaseCommand):
    help = "Write customers' RFM and CLV to a CSV (latest run, or a run fitted as of --as-of)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--as-of", type=parse_date, default=None)
        parser.add_argument("--horizon-days", type=int, default=None)

    def handle(self, *args, path, as_of=None, horizon_days=None, **options):
        horizon = default_horizon() if horizon_days is None else horizon_days
        if horizon <= 0:
            raise CommandError("--horizon-days must be at least 1 (days without a purchase).")
        runs = ClvRun.objects.order_by("-as_of", "-id")
        if as_of is None:
            latest = runs.first()
            if latest is None:
                raise CommandError("No CLV run yet: give --as-of DATE or run fit_clv first.")
            as_of = latest.as_of
        run = runs.filter(as_of=as_of, churn_horizon_days=horizon).first()
        if run is None:
            try:
                run = clv_fit(as_of=as_of, churn_horizon_days=horizon)
            except EvaluationError as exc:
                raise CommandError(exc.message) from exc
        count = 0
        with open(path, "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(CUSTOMER_VALUE_COLUMNS)
            for row in customer_value_rows(run):
                writer.writerow(row)
                count += 1
        # One external ID per customer: logged like any other export of personal data.
        personal_data_access_record(
            action="export", resource="customer_values", object_id=run.pk, count=count,
            channel="shell",
        )  # fmt: skip
        self.stdout.write(
            f"{count} customers of CLV run #{run.pk} (as of {run.as_of}, churn within "
            f"{run.churn_horizon_days} days) → {path}"
        )
