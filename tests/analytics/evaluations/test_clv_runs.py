"""CLV runs: stored with their parameters; old nightly runs lose their per-customer rows
unless a scorecard snapshot refers to them."""

import datetime as dt

import pytest

from analytics.evaluations.clv_runs import clv_fit, clv_values_prune
from analytics.evaluations.scorecard import evaluation_compute
from analytics.evaluations.tasks import fit_clv
from analytics.models import ClvRun, CustomerValue
from tests.analytics.evaluations.conftest import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def purchases(customer, buy):
    for i in range(12):
        person = customer()
        for k in range(i % 3 + 1):
            buy(person, local(2026, 1 + 2 * k, 1 + i), amount=f"{80 + 30 * i}.00")


def test_old_unreferenced_runs_are_pruned_but_keep_their_parameters(purchases):
    old = clv_fit(as_of=dt.date(2026, 3, 1))
    quarter_end = clv_fit(as_of=dt.date(2026, 3, 31))
    evaluation_compute(period="2026Q1")  # refers to the quarter-end run
    latest = clv_fit(as_of=dt.date(2026, 6, 30))

    pruned = clv_values_prune(today=dt.date(2026, 6, 30))

    assert pruned == 1
    assert not CustomerValue.objects.filter(run=old).exists()
    assert ClvRun.objects.filter(pk=old.pk, r=old.r).exists()
    assert CustomerValue.objects.filter(run=quarter_end).exists()
    assert CustomerValue.objects.filter(run=latest).exists()


def test_the_nightly_task_fits_once_a_day(purchases):
    first = fit_clv.apply().get()
    again = fit_clv.apply().get()

    assert first == again and ClvRun.objects.count() == 1
