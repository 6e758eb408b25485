"""GET /api/v1/evaluations/ and /{period}/: the workspace's index, dimensions and indicators
beside the stored snapshot, documented in the schema."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import translation

from analytics.models import ClvRun
from analytics.workspace.health import clv_health
from surveyhub.security.roles import Role
from tests.analytics.workspace.conftest import client_for

pytestmark = pytest.mark.django_db


def test_one_period_answers_index_dimensions_indicators_and_the_rest(manager, two_quarters):
    reply = manager.get("/api/v1/evaluations/2026Q2/", HTTP_ACCEPT_LANGUAGE="en")

    assert reply.status_code == 200
    body = reply.json()
    card = body["scorecard"]
    assert body["result"] == two_quarters["q2"].result  # the snapshot is still there as it was
    assert card["index"]["value"] == round(two_quarters["q2"].overall_index, 1)
    assert [d["code"] for d in card["dimensions"]] == [
        "satisfaction",
        "loyalty",
        "value_growth",
        "experience",
    ]
    nps = next(i for i in card["indicators"] if i["code"] == "nps")
    assert (nps["value"], nps["n"], nps["status"], nps["status_label"]) == (40.0, 5, "met", "Met")
    assert nps["change_text"] == "+6.7 points" and nps["definition"].startswith(
        "Share of promoters"
    )
    assert card["provisional"] is False and card["comparison"] == "complete"
    assert len(card["trend"]["periods"]) == 8 and card["trend"]["periods"][-1] == "2026Q2"
    groups = {g["group"]: g for g in card["headline"]["groups"]}
    assert groups["promoter"]["retention_rate"] == 100.0 and groups["detractor"]["customers"] == 1
    assert card["clv_health"] is None


def test_the_list_carries_the_scorecard_of_each_period_without_the_heavy_parts(
    manager, two_quarters
):
    reply = manager.get("/api/v1/evaluations/", HTTP_ACCEPT_LANGUAGE="zh-hans")

    rows = reply.json()["results"]
    assert [r["period"] for r in rows] == ["2026Q2", "2026Q1"]
    assert rows[0]["scorecard"]["index"]["status_label"] in {"达标", "接近目标", "未达标"}
    assert "trend" not in rows[0]["scorecard"]
    assert rows[0]["scorecard"]["indicators"][0]["n"] is None


@pytest.mark.parametrize(("url", "status"), [("2026Q5", 404), ("2026-13", 400), ("2099Q1", 404)])
def test_bad_periods_answer_in_the_error_shape(manager, two_quarters, url, status):
    reply = manager.get(f"/api/v1/evaluations/{url}/", HTTP_ACCEPT_LANGUAGE="en")

    assert reply.status_code == status
    assert reply.json()["detail"]


@pytest.mark.parametrize("role", [Role.AGENT, Role.DESIGNER])
def test_agents_and_designers_get_403(two_quarters, role):
    assert client_for(role).get("/api/v1/evaluations/2026Q2/").status_code == 403


def test_the_schema_documents_the_scorecard(db):
    schema = Client().get("/api/schema/?format=json").json()

    card = schema["components"]["schemas"]["ScorecardSchema"]
    assert {"index", "dimensions", "indicators", "trend", "headline", "clv_health"} <= set(
        card["properties"]
    )
    evaluation = schema["components"]["schemas"]["Evaluation"]
    assert evaluation["properties"]["scorecard"]["allOf"][0]["$ref"].endswith("ScorecardSchema")


def _run(**params):
    fields = {"r": 0.24, "alpha": 4.41, "a": 0.79, "b": 2.43, "bgnbd_converged": True,
              "q": 3.0, "n_customers": 500, "n_repeaters": 200}  # fmt: skip
    fields.update(params)
    return ClvRun.objects.create(as_of=dt.date(2026, 6, 30), bgnbd_log_likelihood=-1.0, **fields)


def test_a_sane_fit_is_healthy_and_degenerate_ones_are_named(db):
    with translation.override("en"):
        sane = clv_health(_run())
        huge = clv_health(_run(a=2.5e6, b=4.1e7, bgnbd_converged=False))
        tiny = clv_health(_run(a=9e-6))

    assert sane["healthy"] and sane["warnings"] == [] and sane["fallback"] is None
    assert not huge["healthy"] and len(huge["warnings"]) == 2 and "5.7%" in huge["warnings"][1]
    assert "a is almost 0" in tiny["warnings"][0] and tiny["fallback"].startswith("Fallback")
