"""Every dashboard endpoint's figures on the known data set of conftest.py."""

import pytest
from django.urls import reverse

from analytics.dashboard.queries import TILE_INDICATORS, current_period
from analytics.models import EvaluationSnapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, manager):
    client.force_login(manager)

    def get(name, **params):
        response = client.get(reverse(name), params, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200, response.content
        return response.json()

    return get


def test_nps_distribution_counts_each_score_with_its_group(api, dataset):
    data = api("dashboard-nps-distribution")

    counts = {row["score"]: row["count"] for row in data["scores"]}
    assert counts == {0: 1, 1: 0, 2: 0, 3: 1, 4: 0, 5: 0, 6: 0, 7: 1, 8: 1, 9: 1, 10: 1}
    groups = {row["score"]: row["group"] for row in data["scores"]}
    assert (groups[6], groups[7], groups[8], groups[9]) == (
        "detractor", "passive", "passive", "promoter",
    )  # fmt: skip
    assert (data["n"], data["small_sample"]) == (6, True)


def test_sentiment_trend_counts_labels_per_month(api, dataset):
    data = api("dashboard-sentiment-trend", interval="month")

    assert [(p["start"], p["positive"], p["neutral"], p["negative"]) for p in data] == [
        ("2026-05-01", 1, 0, 2),
        ("2026-06-01", 0, 1, 0),
    ]
    assert data[0]["n"] == 3 and data[0]["mean_score"] == pytest.approx(0.4)


def test_topics_rank_the_topic_that_pulls_nps_down_with_its_sentiment(api, dataset):
    data = api("dashboard-topics")

    topic = next(row for row in data if row["kind"] == "topic")
    assert (topic["key"], topic["name"], topic["mentions"]) == (str(dataset.topic.pk), "物流", 2)
    # with: two detractors → −100; without: 10, 9, 8, 7 → +50; share 2/6
    assert (topic["nps_with"], topic["nps_without"]) == (-100.0, 50.0)
    assert topic["impact"] == pytest.approx(-50.0)
    assert topic["sentiment"] == pytest.approx(0.15) and topic["negative"] == 2
    aspect = next(row for row in data if row["kind"] == "aspect")
    assert (aspect["key"], aspect["mentions"], aspect["negative"]) == ("price", 1, 1)
    assert aspect["name"] != "price"  # shown by its display name


def test_matrix_puts_customers_by_value_tier_and_latest_nps_group(api, dataset):
    data = api("dashboard-matrix")

    cells = {(c["tier"], c["group"]): c["customers"] for c in data["cells"]}
    assert cells[("high", "detractor")] == 1  # latest answer 0 (the 10 came earlier)
    assert cells[("low", "detractor")] == 1  # latest answer 3
    assert sum(cells.values()) == 2
    assert data["high_value_detractors"] == [
        {
            "customer": dataset.high.pk, "name": "高价值客户",
            "external_id": dataset.high.external_id, "clv": "5000.00", "clv_text": "CN¥5,000",
            "segment": "important_value", "nps_score": 0, "open_case": dataset.open_case.pk,
        }
    ]  # fmt: skip
    assert data["run"]["as_of"] == "2026-05-31"


def test_service_counts_backlog_overdue_and_sla_compliance(api, dataset):
    data = api("dashboard-service", interval="month")

    assert (data["backlog"], data["overdue"]) == (1, 1)
    assert data["over_time"] == [
        {"start": "2026-05-01", "opened": 3, "resolved": 2, "sla_compliance": 50.0,
         "small_sample": True},
    ]  # fmt: skip


def test_tiles_read_the_latest_scorecard_snapshot_of_the_current_quarter(api, db):
    period = current_period()
    indicators = [
        {"code": code, "value": 10.0 + i, "target": 12.0, "previous": 9.0, "change": 1.0,
         "direction": "higher", "status": "met" if i % 2 else "missed"}
        for i, code in enumerate(TILE_INDICATORS)
    ]  # fmt: skip
    for version, value in ((1, -1.0), (2, None)):
        EvaluationSnapshot.objects.create(
            period=period.code, period_start=period.start, period_end=period.end,
            version=version,
            result={"index": 70.0, "indicators": indicators if value is None else []},
        )  # fmt: skip

    data = api("dashboard-tiles")

    assert (data["period"], data["source"], data["index"]) == (period.code, "snapshot", 70.0)
    assert [t["code"] for t in data["tiles"]] == list(TILE_INDICATORS)
    nps = data["tiles"][0]
    assert (nps["value"], nps["target"], nps["change"], nps["status"]) == (
        10.0,
        12.0,
        1.0,
        "missed",
    )
    assert nps["label"] == "NPS"
    # Rounded with unit and currency for people: NPS points, shares in %, CLV in yuan, hours.
    texts = {
        t["code"]: (t["value_text"], t["target_text"], t["change_text"]) for t in data["tiles"]
    }
    assert texts["nps"] == ("10.0", "12.0", "+1.0 points")
    assert texts["retention_rate"] == ("13.0%", "12.0%", "+1.0 pp")
    assert texts["clv"] == ("CN¥15", "CN¥12", "+CN¥1")
    assert texts["first_response_time"] == ("16.0 h", "12.0 h", "+1.0 h")


def test_tiles_are_computed_live_when_the_quarter_has_no_snapshot(api, db):
    data = api("dashboard-tiles")

    assert data["source"] == "live"
    assert {t["status"] for t in data["tiles"]} <= {"met", "close", "missed", "no_data"}
    assert len(data["tiles"]) == 8


def test_a_bad_interval_or_date_is_a_400_naming_the_parameter(client, manager):
    client.force_login(manager)

    bad_interval = client.get(reverse("dashboard-service"), {"interval": "year"})
    bad_date = client.get(reverse("dashboard-topics"), {"from": "2026-13-01"})

    assert bad_interval.status_code == 400 and "interval" in bad_interval.json()["errors"]
    assert bad_date.status_code == 400 and "from" in bad_date.json()["errors"]
