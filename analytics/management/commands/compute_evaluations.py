"""`compute_evaluations [--period P] [--force]`: the scorecard snapshot of a period."""

from django.core.management.base import BaseCommand, CommandError

from analytics.evaluations.periods import PeriodError, local_today, period_containing, period_parse
from analytics.evaluations.scorecard import evaluation_compute


class Command(BaseCommand):
    help = "Compute the relationship-maintenance scorecard of a period (default: this quarter)."

    def add_arguments(self, parser):
        parser.add_argument("--period", default="", help="2026Q3 or 2026-10")
        parser.add_argument(
            "--force", action="store_true", help="store a new version even if nothing changed"
        )

    def handle(self, *args, period="", force=False, **options):
        try:
            target = period_parse(period) if period else period_containing(local_today())
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        snapshot = evaluation_compute(period=target, force=force)
        index = "—" if snapshot.overall_index is None else f"{snapshot.overall_index:.1f}"
        self.stdout.write(f"{snapshot.period} version {snapshot.version}: index {index}")
        for row in snapshot.result["indicators"]:
            value = "—" if row["value"] is None else f"{row['value']:.2f}"
            self.stdout.write(
                f"  {row['dimension']:<13} {row['code']:<20} {value:>10} "
                f"target {row['target']:<8} {row['status']}"
            )
