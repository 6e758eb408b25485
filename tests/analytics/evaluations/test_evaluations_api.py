"""The evaluation API: metrics summary and trend, RFM, CLV, evaluations; Manager/Admin only."""

import datetime as dt

import pytest
from django.test import Client

from analytics.evaluations.clv_runs import clv_fit
from analytics.evaluations.scorecard import evaluation_compute
from tests.analytics.evaluations.conftest import local
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

READ_ENDPOINTS = [
    "/api/v1/metrics/summary/",
    "/api/v1/metrics/trend/",
    "/api/v1/analytics/rfm/",
    "/api/v1/analytics/clv/",
    "/api/v1/evaluations/",
    "/api/v1/reports/",
]


def client_for(role: str) -> Client:
    client = Client()
    client.force_login(UserFactory(role=role))
    return client


@pytest.fixture
def manager():
    return client_for("经理 Manager")


@pytest.mark.parametrize("role", ["客服 Agent", "问卷设计 Designer"])
@pytest.mark.parametrize("url", READ_ENDPOINTS)
def test_agents_and_designers_are_refused(role, url):
    assert client_for(role).get(url).status_code == 403


@pytest.mark.parametrize("url", READ_ENDPOINTS)
def test_anonymous_callers_are_refused(client, url):
    assert client.get(url).status_code in (401, 403)


@pytest.mark.parametrize("role", ["经理 Manager", "管理员 Admin"])
@pytest.mark.parametrize("url", READ_ENDPOINTS)
def test_managers_and_admins_can_read(role, url):
    assert client_for(role).get(url).status_code == 200


def test_summary_shows_nps_with_interval_and_honours_filters(manager, respond):
    for score in (10, 9, 8, 3):
        respond(nps=score, channel="email", at=local(2026, 5, 1))
    respond(nps=0, channel="link", at=local(2026, 5, 1))
    respond(csat=5, channel="email", at=local(2026, 5, 1))

    body = manager.get(
        "/api/v1/metrics/summary/", {"from": "2026-05-01", "to": "2026-05-01", "channel": "email"}
    ).json()

    assert body["nps"]["value"] == 25.0 and body["nps"]["n"] == 4
    assert body["nps"]["ci_low"] < 25.0 < body["nps"]["ci_high"]
    assert (body["nps"]["promoters"], body["nps"]["passives"], body["nps"]["detractors"]) == (
        2, 1, 1,
    )  # fmt: skip
    assert body["csat"] == {"value": 100.0, "mean": 5.0, "n": 1}
    assert body["ces"] == {"mean": None, "easy_share": None, "n": 0}


def test_trend_returns_points_per_interval(manager, respond):
    respond(nps=10, at=local(2026, 4, 30, 23))
    respond(nps=0, at=local(2026, 5, 1, 1))

    points = manager.get("/api/v1/metrics/trend/", {"metric": "nps", "interval": "month"}).json()

    assert [(p["period"], p["value"], p["n"]) for p in points] == [
        ("2026-04", 100.0, 1),
        ("2026-05", -100.0, 1),
    ]
    assert set(points[0]) >= {"period", "value", "n", "ci_low", "ci_high"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "yesterday"}, "from"),
        ({"from": "2026-05-02", "to": "2026-05-01"}, "to"),
        ({"survey": "abc"}, "survey"),
        ({"segment": "vip"}, "segment"),
        ({"metric": "revenue"}, "metric"),
        ({"interval": "hour"}, "interval"),
    ],
)
def test_bad_parameters_get_a_400_naming_the_field(manager, params, field):
    response = manager.get("/api/v1/metrics/trend/", params)

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_rfm_lists_the_eight_segments_with_nps(manager, customer, buy, respond):
    buyer = customer()
    buy(buyer, local(2026, 5, 1), amount="300.00")
    respond(nps=10, customer=buyer)

    body = manager.get("/api/v1/analytics/rfm/", {"as_of": "2026-06-30"}).json()

    assert body["as_of"] == "2026-06-30"
    assert len(body["segments"]) == 8
    total = sum(s["customers"] for s in body["segments"])
    assert total == 1
    assert sum(s["nps"]["n"] for s in body["segments"]) == 1


def test_rfm_segment_names_follow_the_request_language(manager):
    def names(language):
        body = manager.get(
            "/api/v1/analytics/rfm/", {"as_of": "2026-06-30"}, HTTP_ACCEPT_LANGUAGE=language
        ).json()
        return {s["code"]: s["name"] for s in body["segments"]}

    assert names("zh-hans")["important_value"] == "重要价值客户"
    assert names("en")["important_value"] == "Important value customers"
    assert names("en")["general_retain"] == "General customers to win back"


def test_clv_shows_the_parameters_and_pages_customers(manager, customer, buy):
    people = [customer() for _ in range(8)]
    for i, person in enumerate(people):
        for k in range(i % 3 + 1):
            buy(person, local(2026, 1 + k * 2, 1 + i), amount=f"{100 + 10 * i}.00")
    run = clv_fit(as_of=dt.date(2026, 6, 30))

    body = manager.get("/api/v1/analytics/clv/").json()

    assert body["run"]["id"] == run.pk
    assert set(body["run"]["bgnbd"]) == {"r", "alpha", "a", "b"}
    assert body["run"]["fit"]["n_customers"] == 8
    assert body["count"] == 8
    clvs = [float(row["clv"]) for row in body["results"]]
    assert clvs == sorted(clvs, reverse=True)
    assert {"p_alive", "rfm_segment", "value_tier", "expected_orders_1y"} <= set(body["results"][0])


def test_clv_list_takes_a_bounded_number_of_queries(
    manager, customer, buy, django_assert_max_num_queries
):
    for i in range(30):
        buy(customer(), local(2026, 1, 1 + i % 28), amount="100.00")
    clv_fit(as_of=dt.date(2026, 6, 30))

    with django_assert_max_num_queries(8):
        assert manager.get("/api/v1/analytics/clv/").status_code == 200


def test_evaluations_list_latest_versions_and_retrieve_by_period(manager, respond):
    respond(nps=10, at=local(2026, 5, 1))
    evaluation_compute(period="2026Q2")
    respond(nps=0, at=local(2026, 5, 2))
    evaluation_compute(period="2026Q2")
    evaluation_compute(period="2026-05")

    listed = manager.get("/api/v1/evaluations/").json()
    latest = manager.get("/api/v1/evaluations/2026Q2/").json()
    first = manager.get("/api/v1/evaluations/2026Q2/", {"version": 1}).json()

    assert sorted((e["period"], e["version"]) for e in listed["results"]) == [
        ("2026-05", 1),
        ("2026Q2", 2),
    ]
    assert latest["version"] == 2 and latest["versions"] == [1, 2]
    nps_rows = {r["code"]: r for r in first["result"]["indicators"]}
    assert nps_rows["nps"]["value"] == 100.0
    assert manager.get("/api/v1/evaluations/2025Q1/").status_code == 404


def test_evaluations_list_takes_a_bounded_number_of_queries(
    manager, respond, django_assert_max_num_queries
):
    respond(nps=10, at=local(2026, 5, 1))
    for code in ("2026Q1", "2026Q2", "2026-04", "2026-05", "2026-06"):
        evaluation_compute(period=code)

    with django_assert_max_num_queries(6):
        assert manager.get("/api/v1/evaluations/").json()["count"] == 5
