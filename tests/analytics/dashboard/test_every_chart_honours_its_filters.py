"""Every dashboard chart honours every filter of the form, or the page names the ones it leaves
out (analytics/dashboard/charts.py: IGNORED). Fails when a chart silently ignores a filter: a
filter not declared ignored must change what the chart shows on a data set where it matters."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from analytics.dashboard.charts import FILTERS, IGNORED, ignored_labels
from analytics.models import Purchase
from feedback.models import FeedbackItem, FeedbackTopic
from feedback.models.cases import Case, CaseStatus
from surveys.models import Response, ResponseStatus, Store
from tests.analytics.dashboard.conftest import local
from tests.factories import published_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(dataset):
    """The dashboard data set, widened so that every filter leaves something out of every
    chart: a listed store (answers and a purchase), a category, a second survey's answer with
    feedback and a case, and open cases of both customers."""
    store = Store.objects.create(code="SH01", name="上海南京路店")
    Response.objects.filter(channel="wechat").update(store="SH01")  # 10 of high, 3 of low
    Purchase.objects.filter(order_id="O1").update(store=store, category="食品")  # high's
    other = published_survey(slug="other-survey", consent_text="")
    r7 = Response.objects.create(
        survey=other, version=other.current_version, customer=dataset.high, channel="link",
        status=ResponseStatus.COMPLETED, completed_at=local(5, 20), nps_score=6, csat_score=5,
        ces_score=7,
    )  # fmt: skip
    item = FeedbackItem.objects.create(
        text="很满意，門市服務好👍", response=r7, survey=other, customer=dataset.high,
        source="survey", created_at=r7.completed_at, nps_score=6, sentiment_label="positive",
        sentiment_score=0.95,
    )  # fmt: skip
    FeedbackTopic.objects.create(item=item, topic=dataset.topic, weight=1.0)
    r4 = Response.objects.get(nps_score=8)  # low's, 11 May
    for response, customer, day in ((r7, dataset.high, 20), (r4, dataset.low, 11)):
        Case.objects.create(
            customer=customer, response=response, status=CaseStatus.NEW,
            created_at=local(5, day), due_at=local(5, day + 1),
        )  # fmt: skip
    return dataset


# Each filter with a value that leaves something out of every chart of `data`.
VALUES = {
    "from": "2026-05-21",
    "to": "2026-05-10",
    "survey": None,  # the first survey: leaves out the second one's answer
    "channel": "wechat",
    "store": "SH01",
    "region": "上海",
    "category": "食品",
    "segment": "general_retain",
}


def _trend(metric):
    return lambda get, run: get("metrics-trend", metric=metric, interval="month")


def _rfm(get, run):
    return get("analytics-rfm", as_of=run.as_of.isoformat())["segments"]


# chart → what it shows (the part of its endpoint's JSON that is drawn)
SHOWN = {
    "nps-trend": _trend("nps"),
    "csat-trend": _trend("csat"),
    "ces-trend": _trend("ces"),
    "nps-distribution": lambda get, run: get("dashboard-nps-distribution"),
    "sentiment": lambda get, run: get("dashboard-sentiment-trend", interval="month"),
    "topics": lambda get, run: get("dashboard-topics"),
    "rfm-bars": lambda get, run: [
        (s["code"], s["customers"], s["revenue_share"]) for s in _rfm(get, run)
    ],
    "rfm-nps": lambda get, run: [
        (s["code"], s["nps"]["value"], s["nps"]["n"]) for s in _rfm(get, run)
    ],
    "matrix": lambda get, run: get("dashboard-matrix"),
    "service": lambda get, run: get("dashboard-service", interval="month")["over_time"],
    "service-queue": lambda get, run: {
        k: v for k, v in get("dashboard-service", interval="month").items() if k != "over_time"
    },
}


def test_every_chart_is_declared():
    assert set(SHOWN) | {"tiles"} == set(IGNORED)


@pytest.mark.parametrize("chart", sorted(SHOWN))
def test_each_filter_a_chart_does_not_declare_ignored_changes_what_it_shows(
    client, manager, data, chart
):
    client.force_login(manager)
    extra: dict[str, str] = {}

    def get(name, **params):
        response = client.get(reverse(name), {**params, **extra})
        assert response.status_code == 200, response.content
        return response.json()

    unfiltered = SHOWN[chart](get, data.run)
    silent = []
    for name in FILTERS:
        if name in IGNORED[chart]:
            continue
        extra.clear()
        extra[name] = VALUES[name] or str(data.survey.pk)
        if SHOWN[chart](get, data.run) == unfiltered:
            silent.append(name)
    assert silent == [], f"{chart} shows the same with these filters set: {silent}"


def test_the_rfm_bars_count_only_the_filtered_customers(client, manager, data):
    client.force_login(manager)
    as_of = data.run.as_of.isoformat()

    def bars(**params):
        body = client.get(reverse("analytics-rfm"), {"as_of": as_of, **params}).json()
        return {s["code"]: s["customers"] for s in body["segments"] if s["customers"]}

    assert bars() == {"important_value": 1, "general_retain": 1}
    assert bars(segment="general_retain") == {"general_retain": 1}
    assert bars(store="SH01") == {"important_value": 1}  # bought at the store
    assert bars(region="北京") == {"general_retain": 1}
    assert bars(category="服装") == {}
    # Dates, survey and channel describe answers: the bars stay, the page says so.
    assert bars(channel="wechat", survey=str(data.survey.pk)) == bars()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_page_names_the_filters_each_chart_leaves_out(client, manager, data, language):
    client.force_login(manager)
    page = client.get(reverse("admin:dashboard"), HTTP_ACCEPT_LANGUAGE=language).content.decode()

    for chart, names in IGNORED.items():
        if not names:
            continue
        found = re.search(rf'data-ignores="{chart}">(.*?)</(?:small|p)>', page, re.S)
        assert found, f"no note on what {chart} leaves out"
        if set(names) == set(FILTERS):
            continue  # the scorecard's note says none of the filters apply
        with translation.override(language):
            labels = ignored_labels(chart)
        for label in labels:
            assert label.lower() in found.group(1).lower(), (chart, label)
