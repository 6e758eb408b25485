"""`fit_clv [--as-of DATE] [--json] [--time-unit weeks|days]`: fit BG/NBD + Gamma-Gamma."""

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from analytics.evaluations.clv_runs import clv_fit
from analytics.evaluations.errors import EvaluationError
from analytics.evaluations.periods import local_today


def parse_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of: expected a date like 1997-09-30, got {value!r}") from None


class Command(BaseCommand):
    help = "Fit the CLV models on purchases up to a date, store the run and print the parameters."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=parse_date, default=None, help="default: today")
        parser.add_argument("--time-unit", choices=["weeks", "days"], default="weeks")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, as_of=None, time_unit="weeks", json=False, **options):
        try:
            run = clv_fit(as_of=as_of or local_today(), time_unit=time_unit)
        except EvaluationError as exc:
            raise CommandError(exc.message) from exc
        params = run_parameters(run)
        if json:
            self.stdout.write(_dumps(params))
            return
        self.stdout.write(
            f"CLV run #{run.pk} as of {run.as_of} ({run.time_unit}), "
            f"{run.n_customers} customers, {run.n_repeaters} with a repeat purchase"
        )
        self.stdout.write(
            f"BG/NBD       r={run.r:.3f} alpha={run.alpha:.3f} a={run.a:.3f} b={run.b:.3f} "
            f"log-likelihood={run.bgnbd_log_likelihood:.1f}"
        )
        if run.p is not None:
            self.stdout.write(
                f"Gamma-Gamma  p={run.p:.3f} q={run.q:.3f} gamma={run.gamma:.3f} "
                f"log-likelihood={run.gamma_gamma_log_likelihood:.1f}"
            )
        else:
            self.stdout.write("Gamma-Gamma  not fitted (too few repeat buyers)")
        self.stdout.write(f"fitted in {run.seconds:.2f}s")


def run_parameters(run) -> dict:
    return {
        "run": run.pk, "as_of": run.as_of.isoformat(), "time_unit": run.time_unit,
        "n_customers": run.n_customers, "n_repeaters": run.n_repeaters,
        "bgnbd": {"r": run.r, "alpha": run.alpha, "a": run.a, "b": run.b,
                  "log_likelihood": run.bgnbd_log_likelihood, "converged": run.bgnbd_converged},
        "gamma_gamma": {"p": run.p, "q": run.q, "gamma": run.gamma,
                        "log_likelihood": run.gamma_gamma_log_likelihood},
        "horizon_years": run.horizon_years, "margin": run.margin, "seconds": run.seconds,
    }  # fmt: skip


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
