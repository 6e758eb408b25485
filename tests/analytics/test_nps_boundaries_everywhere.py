"""NPS groups at their edges — 6, 7, 8 and 9 — through every surface that groups answers.

The groups are defined once (surveys.scoring.rules: promoters 9–10, passives 7–8,
detractors 0–6) and reach every page, API and job through `nps_group` or the SQL built by
surveys.scoring.expressions. Moving a threshold by one (9→8, 9→10, 7→6, 7→8) changes what
each test here reads, so every test fails; a surface with its own copy of the rule would
be caught the same way.

The data: four customers whose only answer (May 2026) is 6, 7, 8 and 9, each answer with
its own feedback topic; and two anonymous answers, 0 and 10, with no topic (whatever the
thresholds, 0 is a detractor and 10 a promoter). Six answers: 2 promoters, 2 passives,
2 detractors, NPS 0.
"""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from analytics.evaluations.periods import period_parse
from analytics.evaluations.scorecard import evaluation_compute
from analytics.metric_queries.filters import MetricFilters
from analytics.metric_queries.satisfaction_value import (
    behaviour_by_nps_group,
    nps_group_of_customers,
    value_at_risk,
)
from analytics.metric_queries.survey_metrics import metric_breakdown
from analytics.models import ClvRun, CustomerValue
from feedback.models import FeedbackTopic, Topic
from surveys.models import Response, ResponseStatus
from tests.factories import CustomerFactory, published_survey, survey_feedback_item

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MAY = dt.datetime(2026, 5, 10, 12, tzinfo=SHANGHAI)
EDGES = (6, 7, 8, 9)
EXPECTED_GROUP = {6: "detractor", 7: "passive", 8: "passive", 9: "promoter"}


@pytest.fixture
def edges(db):
    """score → customer who gave it; topic "t6"…"t9" on each answer; a CLV run as of May."""
    survey = published_survey(consent_text="")
    run = ClvRun.objects.create(
        as_of=dt.date(2026, 5, 31), r=1, alpha=1, a=1, b=1, bgnbd_log_likelihood=0,
        n_customers=4,
    )  # fmt: skip
    customers = {}
    for minute, score in enumerate((*EDGES, 0, 10)):
        customer = CustomerFactory(name=f"客户{score}") if score in EDGES else None
        response = Response.objects.create(
            survey=survey, version=survey.current_version, customer=customer, channel="link",
            status=ResponseStatus.COMPLETED, completed_at=MAY + dt.timedelta(minutes=minute),
            nps_score=score,
        )  # fmt: skip
        if customer is None:
            continue
        customers[score] = customer
        topic = Topic.objects.create(key=f"t{score}", name=f"话题{score}")
        FeedbackTopic.objects.create(item=survey_feedback_item(response), topic=topic, weight=1)
        CustomerValue.objects.create(
            run=run, customer=customer, frequency=2, recency=10.0, T=20.0, monetary=100.0,
            recency_days=5, orders=3, spend=Decimal("900"), r_score=3, f_score=3, m_score=3,
            rfm_segment="important_value", p_alive=0.9, expected_orders_1y=2.0,
            clv=Decimal(1000 + score), value_tier="high",
        )  # fmt: skip
    return customers


def _groups(nps: dict) -> tuple[int, int, int]:
    return nps["promoters"], nps["passives"], nps["detractors"]


# The respondent's own answer -------------------------------------------------------------


@pytest.mark.parametrize("score", EDGES)
def test_the_public_submit_answers_with_the_group_of_6_7_8_and_9(client, score):
    survey = published_survey(consent_text="")
    reply = client.post(
        f"/api/v1/public/surveys/{survey.slug}/responses/",
        {"answers": {"nps": score, "reason": ["price"], "praise": "好"}},
        content_type="application/json",
    )
    assert reply.status_code == 201, reply.json()
    assert reply.json()["nps_group"] == EXPECTED_GROUP[score]
    # The follow-up questions of the template follow the same groups: "reason" is asked of
    # detractors only, "praise" of promoters only; answers to hidden questions are dropped.
    response = Response.objects.get(pk=reply.json()["id"])
    kept = set(response.answers.values_list("question_key", flat=True))
    assert ("reason" in kept, "praise" in kept) == (score == 6, score == 9)


# Metrics ---------------------------------------------------------------------------------


def test_the_metric_summary_api_counts_6_as_detractor_7_8_as_passive_9_as_promoter(api, edges):
    data = api(reverse("metrics-summary"), **{"from": "2026-05-01", "to": "2026-05-31"})

    assert _groups(data["nps"]) == (2, 2, 2)
    assert (data["nps"]["value"], data["nps"]["n"]) == (0.0, 6)


def test_the_metric_trend_reads_the_same_groups(api, edges):
    (point,) = api(reverse("metrics-trend"), metric="nps", interval="month")

    assert (point["period"], point["value"], point["n"]) == ("2026-05", 0.0, 6)


def test_a_breakdown_by_value_tier_groups_the_edge_customers(edges):
    tiers = metric_breakdown(by="value_tier", filters=MetricFilters())

    high = tiers["high"].nps
    assert (high.promoters, high.passives, high.detractors) == (1, 2, 1)


# Dashboard -------------------------------------------------------------------------------


def test_the_nps_distribution_labels_each_score_with_its_group(api, edges):
    data = api(reverse("dashboard-nps-distribution"))

    groups = {row["score"]: row["group"] for row in data["scores"]}
    assert groups == {
        0: "detractor", 1: "detractor", 2: "detractor", 3: "detractor", 4: "detractor",
        5: "detractor", 6: "detractor", 7: "passive", 8: "passive", 9: "promoter",
        10: "promoter",
    }  # fmt: skip


def test_the_value_by_nps_matrix_puts_6_7_8_9_in_their_groups(api, edges):
    data = api(reverse("dashboard-matrix"))

    cells = {(c["tier"], c["group"]): c["customers"] for c in data["cells"]}
    assert (cells["high", "detractor"], cells["high", "passive"], cells["high", "promoter"]) == (
        1, 2, 1,
    )  # fmt: skip
    assert [d["nps_score"] for d in data["high_value_detractors"]] == [6]


def test_the_dashboard_topics_give_each_edge_topic_the_nps_of_its_group(api, edges):
    rows = {row["name"]: row for row in api(reverse("dashboard-topics")) if row["kind"] == "topic"}

    assert {score: rows[f"话题{score}"]["nps_with"] for score in EDGES} == {
        6: -100.0, 7: 0.0, 8: 0.0, 9: 100.0,
    }  # fmt: skip
    # Without the topic of the 6: 7, 8, 9, 0, 10 → (2 − 1) / 5.
    assert rows["话题6"]["nps_without"] == 20.0


def test_the_feedback_topics_nps_impact_follows_the_groups(api, edges):
    rows = {row["name"]: row for row in api("/api/v1/topics/")["results"]}

    # with − without: 6 → −100 − 20; 7 and 8 → 0 − 0; 9 → 100 − (−20).
    assert {score: rows[f"话题{score}"]["nps_impact"] for score in EDGES} == {
        6: -120.0, 7: 0.0, 8: 0.0, 9: 120.0,
    }  # fmt: skip


# Satisfaction × behaviour and evaluations ------------------------------------------------


def test_nps_group_of_customers_and_behaviour_by_group(edges):
    period = period_parse("2026Q2")

    groups = nps_group_of_customers(period=period)
    assert {score: groups[c.pk] for score, c in edges.items()} == EXPECTED_GROUP
    behaviour = behaviour_by_nps_group(period=period)
    assert {g: row["customers"] for g, row in behaviour.items()} == {
        "promoter": 1, "passive": 2, "detractor": 1,
    }  # fmt: skip
    assert value_at_risk(period=period).detractors == 1


def test_the_quarterly_evaluation_counts_the_same_groups(edges):
    snapshot = evaluation_compute(period="2026Q2")

    indicators = {row["code"]: row["value"] for row in snapshot.result["indicators"]}
    assert indicators["nps"] == 0.0
    assert indicators["promoter_share"] == pytest.approx(100 * 2 / 6, abs=1e-3)
    (channel,) = snapshot.segments["channel"]
    assert (channel["key"], _groups(channel["nps"])) == ("link", (2, 2, 2))
    (tier,) = snapshot.segments["value_tier"]
    assert (tier["key"], _groups(tier["nps"])) == ("high", (1, 2, 1))
