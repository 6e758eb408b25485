"""Scorecard snapshots: the four dimensions with admin targets, and versions never rewritten."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db.models import Avg

from analytics.evaluations.clv_runs import clv_fit
from analytics.evaluations.scorecard import evaluation_compute
from analytics.models import CustomerValue, DimensionWeight, EvaluationSnapshot, ScorecardTarget
from tests.analytics.evaluations.conftest import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def quarter_of_data(customer, buy, respond):
    people = [customer() for _ in range(6)]
    for i, person in enumerate(people):
        buy(person, local(2026, 2, 1 + i))  # Q1
        if i < 3:
            buy(person, local(2026, 5, 1 + i), category="服装")  # Q2: half retained
        if i == 0:
            buy(person, local(2026, 5, 20), category="食品")  # repurchase + cross-sell
    for person, score in zip(people, (10, 10, 9, 7, 3), strict=False):
        respond(nps=score, at=local(2026, 5, 10), customer=person)
    for score in (5, 4, 2):
        respond(csat=score, at=local(2026, 5, 10))
    respond(ces=6, at=local(2026, 5, 10))
    return people


def indicators(snapshot):
    return {row["code"]: row for row in snapshot.result["indicators"]}


def test_snapshot_has_every_indicator_with_value_target_change_and_status(quarter_of_data):
    ScorecardTarget.objects.create(code="nps", target=50.0, tolerance=5.0)

    snapshot = evaluation_compute(period="2026Q2")

    rows = indicators(snapshot)
    assert snapshot.version == 1 and snapshot.period_start == dt.date(2026, 4, 1)
    assert rows["nps"]["value"] == 40.0 and rows["nps"]["target"] == 50.0
    assert rows["nps"]["status"] == "missed" and rows["nps"]["score"] == 80.0
    assert rows["csat"]["value"] == pytest.approx(66.6667, abs=1e-3)
    assert rows["retention_rate"]["value"] == 50.0
    assert rows["repurchase_rate"]["value"] == pytest.approx(100 / 3, abs=1e-3)
    assert rows["cross_sell_rate"]["value"] == pytest.approx(100 / 3, abs=1e-3)
    assert rows["promoter_share"]["value"] == 60.0
    assert rows["ces"]["value"] == 6.0 and rows["ces"]["status"] == "met"
    assert rows["retention_rate"]["previous"] is None  # nothing before Q1
    # No triage cases in this period: the service indicators are there, without data.
    assert rows["first_response_time"]["status"] == "no_data"
    assert rows["resolution_rate"]["status"] == "no_data"
    dimensions = {d["dimension"]: d for d in snapshot.result["dimensions"]}
    assert set(dimensions) == {"satisfaction", "loyalty", "value_growth", "experience"}
    assert dimensions["experience"]["index"] == 100.0  # only CES has data, and it is met
    assert snapshot.overall_index == snapshot.result["index"]
    assert snapshot.segments["channel"][0]["key"] == "link"


def test_dimension_weights_set_by_the_admin_change_the_overall_index(quarter_of_data):
    equal = evaluation_compute(period="2026Q2")
    DimensionWeight.objects.create(dimension="experience", weight=0.0)

    weighted = evaluation_compute(period="2026Q2")

    dims = {d["dimension"]: d for d in weighted.result["dimensions"]}
    assert dims["experience"]["weight"] == 0.0
    assert weighted.version == 2 and weighted.overall_index != equal.overall_index


def test_recomputing_after_new_data_stores_version_2_and_keeps_version_1(quarter_of_data, respond):
    first = evaluation_compute(period="2026Q2")
    before = (first.result, first.overall_index, first.computed_at)
    respond(nps=0, at=local(2026, 6, 1))

    second = evaluation_compute(period="2026Q2")

    first.refresh_from_db()
    assert second.version == 2 and second.pk != first.pk
    assert (first.result, first.overall_index, first.computed_at) == before
    assert indicators(first)["nps"]["value"] == 40.0
    assert indicators(second)["nps"]["value"] == pytest.approx(100 / 6, abs=1e-3)  # (3 − 2) / 6


def test_recomputing_unchanged_data_is_idempotent_unless_forced(quarter_of_data):
    first = evaluation_compute(period="2026Q2")

    again = evaluation_compute(period="2026Q2")
    forced = evaluation_compute(period="2026Q2", force=True)

    assert again.pk == first.pk
    assert forced.version == 2
    assert EvaluationSnapshot.objects.filter(period="2026Q2").count() == 2


def test_clv_indicator_uses_the_run_inside_the_period(quarter_of_data):
    run = clv_fit(as_of=dt.date(2026, 6, 30))

    snapshot = evaluation_compute(period="2026Q2")

    clv = indicators(snapshot)["clv"]
    mean = CustomerValue.objects.filter(run=run).aggregate(mean=Avg("clv"))["mean"]
    assert clv["value"] == pytest.approx(float(mean), abs=1e-3)
    assert snapshot.clv_run_id == run.pk
    assert snapshot.segments["value_tier"]  # breakdown by tier now exists


def test_an_empty_period_gives_no_data_everywhere(db):
    snapshot = evaluation_compute(period="2026-10")

    assert snapshot.overall_index is None
    assert {row["status"] for row in snapshot.result["indicators"]} == {"no_data"}


def test_compute_evaluations_command_prints_the_version(quarter_of_data, capsys):
    call_command("compute_evaluations", "--period", "2026Q2")

    assert "2026Q2 version 1" in capsys.readouterr().out
