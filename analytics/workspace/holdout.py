"""The holdout check of the CLV run behind the value dimension: the latest earlier run (at
least HOLDOUT_MIN_DAYS older, fitted without the days since) predicted its customers' repeat
purchase days up to this run's date; the purchases since then are the holdout. Numbers here
(kept with the workspace figures: it reads the period's purchases), words in `holdout_words`."""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from analytics.clv.bgnbd import BgNbdParams, bgnbd_conditional_expected_purchases
from analytics.evaluations.periods import local_midnight, local_zone
from analytics.models import ClvRun, CustomerValue, EvaluationSnapshot, Purchase
from analytics.workspace.words import number

HOLDOUT_MIN_DAYS = 28
TOLERANCE = 0.2  # predicted within ±20% of what happened: the fit holds


def holdout_numbers(snapshot: EvaluationSnapshot) -> dict | None:
    """{"earlier_as_of", "days", "customers", "predicted", "actual"} or {"earlier_as_of": None}
    when no run is old enough; None without a run behind the snapshot."""
    run = snapshot.clv_run
    if run is None:
        return None
    earlier = (
        ClvRun.objects.filter(
            time_unit=run.time_unit, as_of__lte=run.as_of - dt.timedelta(days=HOLDOUT_MIN_DAYS)
        )
        .order_by("-as_of", "-id")
        .first()
    )
    if earlier is None:
        return {"earlier_as_of": None}
    days = (run.as_of - earlier.as_of).days
    rows = np.array(
        CustomerValue.objects.filter(run=earlier).values_list("frequency", "recency", "T"),
        dtype="float64",
    ).reshape(-1, 3)
    params = BgNbdParams(earlier.r, earlier.alpha, earlier.a, earlier.b, 0.0, len(rows), True,
                         0, "")  # fmt: skip
    t = days / 7.0 if earlier.time_unit == "weeks" else float(days)
    predicted: float | None = 0.0
    if len(rows):
        x, t_x, big_t = rows[:, 0], rows[:, 1], rows[:, 2]
        with np.errstate(all="ignore"):
            expected = bgnbd_conditional_expected_purchases(params, t, x, t_x, big_t)
        # A degenerate fit predicts inf or nan: no prediction to check (and none to keep).
        predicted = float(expected.sum()) if np.isfinite(expected).all() else None
    actual = (
        Purchase.objects.filter(
            customer__evaluated_values__run=earlier,
            amount__gt=0,
            ordered_at__gte=local_midnight(earlier.as_of + dt.timedelta(days=1)),
            ordered_at__lt=local_midnight(run.as_of + dt.timedelta(days=1)),
        )
        .annotate(day=TruncDate("ordered_at", tzinfo=local_zone()))
        .values("customer_id", "day")
        .distinct()
        .count()
    )
    return {"earlier_as_of": earlier.as_of.isoformat(), "days": days, "customers": len(rows),
            "predicted": None if predicted is None else round(predicted, 2),
            "actual": int(actual)}  # fmt: skip


def holdout_words(numbers: dict | None) -> dict | None:
    """The check in words: {"ok": True/False/None, "text"}."""
    if numbers is None:
        return None
    if numbers.get("earlier_as_of") is None:
        return {"ok": None, "text": _(
            "No holdout check yet: it needs a CLV run at least %(days)s days older than this "
            "one.") % {"days": HOLDOUT_MIN_DAYS}}  # fmt: skip
    predicted, actual = numbers["predicted"], numbers["actual"]
    if predicted is None:
        return {"ok": False, "text": _(
            "Holdout check: the run as of %(day)s could not predict its customers' purchases "
            "(its fit is degenerate); %(actual)s repeat purchase days happened in the %(days)s "
            "days since.") % {"day": numbers["earlier_as_of"], "actual": number(actual, 0),
                              "days": numbers["days"]}}  # fmt: skip
    ok = abs(predicted - actual) <= TOLERANCE * max(actual, 1)
    text = _(
        "Holdout check: the run as of %(day)s predicted %(predicted)s repeat purchase days for "
        "its %(customers)s customers in the %(days)s days since; %(actual)s happened."
    ) % {"day": numbers["earlier_as_of"], "predicted": number(predicted, 1),
         "customers": number(numbers["customers"], 0), "days": numbers["days"],
         "actual": number(actual, 0)}  # fmt: skip
    pct = {"pct": round(100 * TOLERANCE)}
    verdict = (_("Within ±%(pct)s%%: the model predicts purchases as they happen.") % pct
               if ok else _("Off by more than %(pct)s%%: read the CLV as indicative only.")
               % pct)  # fmt: skip
    return {"ok": ok, "text": f"{text} {verdict}"}
