"""The CLV model health's holdout check: an earlier run (fitted without the days since)
predicts its customers' repeat purchase days up to the run behind the value dimension; the
purchases since are the holdout. Said in words on the workspace, and "not yet" without an
old enough run."""

import datetime as dt
import html
import re
from decimal import Decimal

import numpy as np
import pytest
from django.utils import translation

from analytics.clv.bgnbd import BgNbdParams, bgnbd_conditional_expected_purchases
from analytics.evaluations.clv_runs import clv_fit
from analytics.evaluations.scorecard import evaluation_compute
from analytics.models import ClvRun, CustomerValue, Purchase
from analytics.workspace.holdout import holdout_words
from analytics.workspace.words import number
from tests.analytics.workspace.conftest import local
from tests.analytics.workspace.test_workspace_page import text

pytestmark = pytest.mark.django_db


def test_without_an_older_run_the_page_says_the_check_is_not_possible_yet(manager, two_quarters):
    clv_fit(as_of=dt.date(2026, 6, 30))
    evaluation_compute(period="2026Q2")

    shown = text(manager.get("/staff/evaluations/2026Q2/", HTTP_ACCEPT_LANGUAGE="en"))

    assert "No holdout check yet: it needs a CLV run at least 28 days older" in shown


def test_an_earlier_run_is_checked_against_the_purchases_since(manager, two_quarters):
    for i, person in enumerate(two_quarters["people"][:4]):  # repeat buyers before 31 March
        Purchase.objects.create(customer=person, order_id=f"R{i}", amount=Decimal("80.00"),
                                ordered_at=local(2026, 3, 10 + i), category="食品")  # fmt: skip
    earlier = clv_fit(as_of=dt.date(2026, 3, 31))
    clv_fit(as_of=dt.date(2026, 6, 30))
    # Six customers fit a degenerate model: give the earlier run CDNOW's published one.
    ClvRun.objects.filter(pk=earlier.pk).update(r=0.243, alpha=4.414, a=0.793, b=2.426)
    earlier.refresh_from_db()
    evaluation_compute(period="2026Q2")

    page = manager.get("/staff/evaluations/2026Q2/", HTTP_ACCEPT_LANGUAGE="en")

    # Q1's six buyers; since 31 March: customer 0 on 2 and 20 May, customer 1 on 3 May.
    rows = np.array(CustomerValue.objects.filter(run=earlier).values_list(
        "frequency", "recency", "T"), dtype="float64")  # fmt: skip
    params = BgNbdParams(earlier.r, earlier.alpha, earlier.a, earlier.b, 0.0, 6, True, 0, "")
    predicted = np.nansum(bgnbd_conditional_expected_purchases(
        params, 91 / 7.0, rows[:, 0], rows[:, 1], rows[:, 2]))  # fmt: skip
    shown = text(page)
    assert np.isfinite(predicted)
    assert (
        f"Holdout check: the run as of 2026-03-31 predicted {number(predicted, 1)} repeat "
        "purchase days for its 6 customers in the 91 days since; 3 happened." in shown
    )
    assert re.search(r"data-holdout", page.content.decode())
    data = manager.get("/api/v1/evaluations/2026Q2/").json()
    assert data["scorecard"]["clv_health"]["holdout"]["ok"] in (True, False)


def test_a_degenerate_earlier_fit_is_said_to_predict_nothing(manager, two_quarters):
    clv_fit(as_of=dt.date(2026, 3, 31))  # six one-time buyers: no repeat purchase to fit
    clv_fit(as_of=dt.date(2026, 6, 30))
    evaluation_compute(period="2026Q2")

    shown = html.unescape(
        text(manager.get("/staff/evaluations/2026Q2/", HTTP_ACCEPT_LANGUAGE="en"))
    )

    assert (
        "Holdout check: the run as of 2026-03-31 could not predict its customers' purchases "
        "(its fit is degenerate); 3 repeat purchase days happened in the 91 days since." in shown
    )


def test_the_verdict_is_within_twenty_percent_or_a_warning():
    numbers = {"earlier_as_of": "2026-03-31", "days": 91, "customers": 1000}
    with translation.override("zh-hans"):
        near = holdout_words({**numbers, "predicted": 110.0, "actual": 100})
        far = holdout_words({**numbers, "predicted": 160.0, "actual": 100})
    assert near["ok"] is True and "±20%" in near["text"]
    assert far["ok"] is False and "20%" in far["text"]
    assert holdout_words(None) is None
    degenerate = holdout_words({**numbers, "predicted": None, "actual": 3})
    assert degenerate["ok"] is False and "could not predict" in degenerate["text"]
