"""GET/POST /api/v1/feedback/: filters, creation, permissions, no N+1."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from feedback.analysis.services import feedback_analyse_batch
from feedback.models import FeedbackItem, FeedbackTopic, Topic
from surveyhub.security.roles import Role
from tests.factories import CustomerFactory, FeedbackItemFactory, UserFactory, published_survey

pytestmark = pytest.mark.django_db
URL = "/api/v1/feedback/"


@pytest.fixture
def agent_client(client):
    client.force_login(UserFactory(role=Role.AGENT))
    return client


@pytest.fixture
def items():
    survey = published_survey()
    now = timezone.now()
    rows = {
        "delivery": FeedbackItemFactory(text="物流太慢了，等了十天", source="ecommerce"),
        "praise": FeedbackItemFactory(text="客服态度很好，非常满意", survey=survey),
        "price": FeedbackItemFactory(
            text="价格太贵，不值这个价", created_at=now - dt.timedelta(days=40)
        ),
    }
    feedback_analyse_batch(item_ids=[i.pk for i in rows.values()])
    topic = Topic.objects.create(key="t-delivery", name="物流", keywords=["物流", "慢"])
    FeedbackTopic.objects.create(item=rows["delivery"], topic=topic, weight=0.9)
    for item in rows.values():
        item.refresh_from_db()
    return {**rows, "topic": topic, "survey": survey}


def _texts(response):
    assert response.status_code == 200, response.content
    return {row["text"] for row in response.json()["results"]}


def test_the_list_shows_sentiment_keywords_topics_and_aspects(agent_client, items):
    rows = {r["text"]: r for r in agent_client.get(URL).json()["results"]}
    delivery = rows["物流太慢了，等了十天"]
    assert delivery["sentiment"]["label"] == "negative"
    assert 0 <= delivery["sentiment"]["score"] <= 1
    assert "物流" in delivery["keywords"]
    assert delivery["topics"] == [{"id": items["topic"].pk, "name": "物流", "weight": 0.9}]
    assert delivery["aspects"][0]["aspect"] == "delivery"
    assert delivery["analysed_at"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ("sentiment=positive", {"客服态度很好，非常满意"}),
        ("aspect=price", {"价格太贵，不值这个价"}),
        ("source=ecommerce", {"物流太慢了，等了十天"}),
        ("q=客服", {"客服态度很好，非常满意"}),
    ],
)
def test_filters(agent_client, items, params, expected):
    assert _texts(agent_client.get(f"{URL}?{params}")) == expected


def test_topic_survey_and_date_filters(agent_client, items):
    assert _texts(agent_client.get(f"{URL}?topic={items['topic'].pk}")) == {"物流太慢了，等了十天"}
    assert _texts(agent_client.get(f"{URL}?survey={items['survey'].pk}")) == {
        "客服态度很好，非常满意"
    }
    since = (timezone.localdate() - dt.timedelta(days=7)).isoformat()
    assert "价格太贵，不值这个价" not in _texts(agent_client.get(f"{URL}?from={since}"))
    assert _texts(agent_client.get(f"{URL}?to={since}")) == {"价格太贵，不值这个价"}


@pytest.mark.parametrize("params", ["from=yesterday", "topic=abc", "sentiment=angry"])
def test_malformed_filters_are_a_400_not_a_500(agent_client, items, params):
    response = agent_client.get(f"{URL}?{params}")
    assert response.status_code == 400
    assert response.json()


def test_listing_takes_the_same_number_of_queries_for_3_or_30_items(agent_client, items):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert agent_client.get(URL).status_code == 200
        return len(ctx)

    few = count()
    more = [FeedbackItemFactory(text=f"第{n}条：包装破损，物流慢") for n in range(27)]
    feedback_analyse_batch(item_ids=[i.pk for i in more])
    assert count() == few


def test_an_admin_creates_an_item_matched_to_a_customer_and_it_is_analysed(
    client, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory(role=Role.ADMIN))
    customer = CustomerFactory(external_id="TM-88")
    body = {
        "text": "东西不错但是物流太慢",
        "source": "ecommerce",
        "external_ref": "review-1",
        "customer_external_id": "TM-88",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, body, content_type="application/json")
    again = client.post(URL, body, content_type="application/json")

    assert response.status_code == 201, response.content
    assert again.status_code == 200
    data = response.json()
    assert data["customer"] == customer.pk
    assert data["analysis_status"] == "pending"  # analysed by a worker after the commit
    analysed = client.get(f"{URL}{data['id']}/").json()
    assert analysed["analysis_status"] == "done"
    assert {a["aspect"] for a in analysed["aspects"]} >= {"quality", "delivery"}
    assert FeedbackItem.objects.count() == 1


@pytest.mark.parametrize("text", ["", "   ", "x" * 20_001])
def test_creating_with_bad_text_is_a_400_with_a_message(client, text):
    client.force_login(UserFactory(role=Role.ADMIN))
    response = client.post(URL, {"text": text}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"]["text"]


def test_an_agent_can_read_but_not_create_feedback(agent_client, items):
    assert agent_client.get(f"{URL}{items['praise'].pk}/").status_code == 200
    assert agent_client.post(URL, {"text": "好"}, content_type="application/json").status_code == (
        403
    )


def test_a_designer_cannot_read_feedback(client, items):
    client.force_login(UserFactory(role=Role.DESIGNER))
    assert client.get(URL).status_code == 403
    assert client.get("/api/v1/topics/").status_code == 403


def test_anonymous_requests_are_refused(client):
    assert client.get(URL).status_code in {401, 403}
