"""The fast CLV run (COPY read and write, grouped likelihoods, per-day totals computed once)
gives every customer the same values as the row-by-row run it replaced did on a fixed history:
``golden_values.json`` was written by that earlier implementation (issue #16, "Speed")."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from analytics.evaluations.clv_runs import clv_fit
from analytics.models import CustomerValue
from tests.analytics.churn.fixed_history import AS_OF, CUSTOMERS, make_history

pytestmark = pytest.mark.django_db

GOLDEN = json.loads((Path(__file__).parent / "golden_values.json").read_text(encoding="utf-8"))
MONEY = {"spend", "clv", "value_at_stake"}


@pytest.fixture(scope="module")
def history(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        customers = make_history()
    yield customers
    with django_db_blocker.unblock():
        from analytics.models import ClvRun, Purchase
        from feedback.models import Case, FeedbackItem
        from surveys.models import Customer, Response, Survey

        # Everything the module's history made, or the tests after it find a stray survey.
        for model in (ClvRun, Purchase, Response, Case, FeedbackItem, Customer, Survey):
            model.objects.all().delete()


# The fits are numerical optimisations: another CPU (its BLAS kernels, summation order) ends
# them a few 1e-7 apart, so floats agree to 1e-5 and money to the cent.
def _close(stored, expected) -> bool:
    if isinstance(expected, float) and isinstance(stored, float):
        return stored == pytest.approx(expected, rel=1e-5, abs=1e-8)
    return stored == expected


def _same_money(stored, expected: str) -> bool:
    return abs(Decimal(str(stored)) - Decimal(expected)) <= Decimal("0.01")


@pytest.mark.parametrize("horizon", [90, 273])
def test_every_customer_gets_the_values_of_the_earlier_implementation(history, horizon):
    golden = GOLDEN[str(horizon)]
    run = clv_fit(as_of=AS_OF, churn_horizon_days=horizon)

    for name, expected in golden["run"].items():
        assert _close(getattr(run, name), expected), name
    backtest = run.churn_backtest
    for name in ("method", "window_days", "cutoff", "customers", "signals_used", "level_shift"):
        assert _close(backtest[name], golden["backtest"][name]), name
    for name in (
        "auc",
        "recency_auc",
        "mean_predicted",
        "observed_share",
        "brier",
        "signals_auc_gain",
    ):
        assert backtest[name] == pytest.approx(golden["backtest"][name], abs=1e-4), name
    columns = golden["columns"]
    stored = {
        v.customer.external_id: v for v in CustomerValue.objects.filter(run=run).select_related(
            "customer")
    }  # fmt: skip
    assert len(stored) == CUSTOMERS == len(golden["values"])
    differ = []
    for external_id, row in golden["values"].items():
        value = stored[external_id]
        for column, expected in zip(columns, row, strict=True):
            got = getattr(value, column)
            same = _same_money(got, expected) if column in MONEY else _close(got, expected)
            if not same:
                differ.append((external_id, column, got, expected))
    assert differ == []
