"""Model health of the CLV run behind the value dimension: convergence, parameter sanity and a
plain warning with the stated fallback when the fit is degenerate."""

from __future__ import annotations

import math

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from analytics.clv.value import clv_simple
from analytics.models import ClvRun, CustomerValue
from analytics.workspace.words import money, number

# BG/NBD parameters outside this range are a degenerate fit (the published CDNOW fit is
# r 0.24, α 4.41, a 0.79, b 2.43; a fit of 10⁻⁶ or 10⁶ says the data could not pin it down).
SANE_LOW, SANE_HIGH = 1e-3, 1e3
FEW_REPEATERS = 30
WEEKS_PER_YEAR = 365.0 / 7.0


def clv_health(run: ClvRun | None) -> dict | None:
    """{"run", "as_of", "parameters", "healthy", "warnings", "fallback", "fallback_clv"}."""
    if run is None:
        return None
    warnings = []
    if not run.bgnbd_converged:
        warnings.append(_("The BG/NBD fit did not converge: its parameters are where the "
                          "optimiser stopped, not a best fit."))  # fmt: skip
    values = {"r": run.r, "alpha": run.alpha, "a": run.a, "b": run.b}
    if any(not math.isfinite(v) or v <= 0 for v in values.values()):
        warnings.append(_("A BG/NBD parameter is not a positive number."))
    else:
        if not all(SANE_LOW <= values[k] <= SANE_HIGH for k in ("r", "alpha")):
            warnings.append(_("The purchase-rate parameters (r, α) are extreme: the model "
                              "cannot tell frequent buyers from occasional ones."))  # fmt: skip
        if values["a"] < SANE_LOW:
            warnings.append(_("a is almost 0: the model assumes customers practically never "
                              "stop buying, so P(alive) and CLV are overstated."))  # fmt: skip
        elif values["a"] > SANE_HIGH or values["b"] > SANE_HIGH:
            share = 100 * values["a"] / (values["a"] + values["b"])
            warnings.append(_("a and b are very large: every customer gets the same %(p)s%% "
                              "chance of stopping after each order, so the fit says nothing "
                              "about who is leaving.") % {"p": number(share, 1)})  # fmt: skip
        elif values["b"] < SANE_LOW:
            warnings.append(_("b is almost 0: the model assumes customers stop buying after "
                              "almost every order."))  # fmt: skip
    if run.n_repeaters < FEW_REPEATERS:
        warnings.append(_("Only %(n)s customers bought more than once: too few for a stable "
                          "fit.") % {"n": run.n_repeaters})  # fmt: skip
    spend_note = None
    if run.q is None:
        spend_note = _("The spend model (Gamma-Gamma) could not be fitted: each customer's own "
                       "average order value is used instead.")  # fmt: skip
    simple = _simple_clv(run) if warnings else None
    return {
        "run": run.pk,
        "as_of": run.as_of.isoformat(),
        "customers": run.n_customers,
        "repeaters": run.n_repeaters,
        "converged": run.bgnbd_converged,
        "parameters": {k: _sig(v) for k, v in values.items()},
        "parameters_text": ", ".join(
            f"{name} = {_sig_text(values[key])}"
            for key, name in (("r", "r"), ("alpha", "α"), ("a", "a"), ("b", "b"))
        ),
        "healthy": not warnings,
        "warnings": warnings,
        "spend_note": spend_note,
        "fallback": (
            _(
                "Fallback: read the value dimension's CLV and CLV change as indicative only. "
                "The simple formula (average order value × orders per year × 1 year × margin) "
                "gives an average CLV of %(clv)s for the same customers."
            )
            % {"clv": money(simple)}
            if warnings
            else None
        ),
        "fallback_clv": None if simple is None else round(simple, 2),
    }


def _simple_clv(run: ClvRun) -> float | None:
    """PRODUCT.md's simple CLV over the run's customers: total spend ÷ orders × orders per
    customer-year (each customer's age since the first order, at least a week) × margin."""
    totals = CustomerValue.objects.filter(run=run).aggregate(
        spend=Sum("spend"), orders=Sum("orders"), age=Sum("T"), n=Count("pk")
    )
    if not totals["n"] or not totals["orders"]:
        return None
    weeks = max(float(totals["age"] or 0), float(totals["n"]))
    years = weeks / WEEKS_PER_YEAR if run.time_unit == "weeks" else weeks / 365.0
    try:
        return clv_simple(
            average_order_value=max(float(totals["spend"] or 0), 0) / totals["orders"],
            orders_per_year=totals["orders"] / years,
            lifespan_years=run.horizon_years,
            margin=min(max(run.margin, 0.0), 1.0),
        )
    except ValueError:
        return None


def _sig(value: float) -> float | None:
    return float(f"{value:.4g}") if math.isfinite(value) else None


def _sig_text(value: float) -> str:
    if not math.isfinite(value):
        return "—"
    if value != 0 and (abs(value) >= 1e4 or abs(value) < 1e-3):
        return f"{value:.2e}"
    return f"{value:.3g}"
