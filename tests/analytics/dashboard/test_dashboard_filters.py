"""One set of filters narrows every endpoint at once."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, manager):
    client.force_login(manager)

    def get(name, **params):
        response = client.get(reverse(name), params)
        assert response.status_code == 200, response.content
        return response.json()

    return get


def test_the_channel_filter_narrows_every_endpoint(api, dataset):
    wechat = {"channel": "wechat", "interval": "month"}  # the 10 of `high` and the 3 of `low`

    distribution = api("dashboard-nps-distribution", **wechat)
    sentiment = api("dashboard-sentiment-trend", **wechat)
    topics = api("dashboard-topics", **wechat)
    matrix = api("dashboard-matrix", **wechat)
    service = api("dashboard-service", **wechat)
    trend = api("metrics-trend", metric="nps", **wechat)

    assert {s["score"]: s["count"] for s in distribution["scores"] if s["count"]} == {3: 1, 10: 1}
    assert [(p["positive"], p["negative"]) for p in sentiment] == [(1, 1)]
    topic = next(t for t in topics if t["kind"] == "topic")
    assert (topic["mentions"], topic["nps_with"], topic["nps_without"]) == (1, -100.0, 100.0)
    cells = {(c["tier"], c["group"]): c["customers"] for c in matrix["cells"] if c["customers"]}
    assert cells == {("high", "promoter"): 1, ("low", "detractor"): 1}
    assert matrix["high_value_detractors"] == []
    assert (service["backlog"], service["overdue"]) == (0, 0)
    assert [(p["opened"], p["resolved"], p["sla_compliance"]) for p in service["over_time"]] == [
        (1, 1, 100.0)
    ]
    assert [(p["period"], p["n"]) for p in trend] == [("2026-05", 2)]


def test_the_date_range_narrows_every_endpoint(api, dataset):
    june = {"from": "2026-06-01", "to": "2026-06-30", "interval": "month"}

    distribution = api("dashboard-nps-distribution", **june)
    sentiment = api("dashboard-sentiment-trend", **june)
    topics = api("dashboard-topics", **june)
    matrix = api("dashboard-matrix", **june)
    service = api("dashboard-service", **june)

    assert distribution["n"] == 1 and distribution["scores"][7]["count"] == 1
    assert [(p["start"], p["neutral"]) for p in sentiment] == [("2026-06-01", 1)]
    assert topics == []  # the June answer mentions no topic
    assert sum(c["customers"] for c in matrix["cells"]) == 0  # it has no customer
    assert service["over_time"] == []
    assert service["backlog"] == 1  # the backlog is "now", whatever the range


@pytest.mark.parametrize(
    ("params", "n"),
    [
        ({"region": "上海"}, 2),
        ({"segment": "general_retain"}, 3),
        ({"category": "服装"}, 0),
        ({"survey": "999999"}, 0),
    ],
)
def test_region_segment_category_and_survey_filters_apply(api, dataset, params, n):
    assert api("dashboard-nps-distribution", **params)["n"] == n
    matrix = api("dashboard-matrix", **params)
    assert sum(c["customers"] for c in matrix["cells"]) == min(n, 1)
    service = api("dashboard-service", **params)
    assert sum(p["opened"] for p in service["over_time"]) == {2: 1, 3: 2, 0: 0}[n]


def test_the_survey_filter_keeps_the_surveys_answers(api, dataset):
    data = api("dashboard-nps-distribution", survey=str(dataset.survey.pk))

    assert data["n"] == 6
