"""An item's page with sentiment correction, and the topic pages with rename and merge."""

import re

import pytest

from feedback.analysis.services import feedback_analyse_batch
from feedback.models import FeedbackTopic, SentimentCorrection, Topic
from surveyhub.security.roles import Role
from tests.factories import FeedbackItemFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def item():
    item = FeedbackItemFactory(text="还行吧，物流一般")
    feedback_analyse_batch(item_ids=[item.pk])
    item.refresh_from_db()
    return item


def test_an_agent_corrects_a_sentiment_label_and_it_is_kept(client, item):
    agent = UserFactory(role=Role.AGENT)
    client.force_login(agent)

    response = client.post(f"/staff/feedback/{item.pk}/sentiment/", {"label": "negative"})

    assert response.status_code == 302
    correction = SentimentCorrection.objects.get()
    assert (correction.label, correction.corrected_by, correction.text) == (
        "negative",
        agent,
        item.text,
    )
    item.refresh_from_db()
    assert item.sentiment_label == "negative" and item.sentiment_corrected
    assert "negative" in client.get(f"/staff/feedback/{item.pk}/").content.decode()


def test_a_manager_cannot_correct_sentiment(client, item):
    client.force_login(UserFactory(role=Role.MANAGER))
    response = client.post(f"/staff/feedback/{item.pk}/sentiment/", {"label": "negative"})
    assert response.status_code == 403
    assert not SentimentCorrection.objects.exists()


@pytest.fixture
def topics(item):
    a = Topic.objects.create(key="t-a", name="物流", keywords=["物流", "一般"])
    b = Topic.objects.create(key="t-b", name="配送", keywords=["配送"])
    FeedbackTopic.objects.create(item=item, topic=a, weight=1)
    return a, b


def test_the_topic_pages_show_counts_and_a_monthly_trend(client, topics):
    client.force_login(UserFactory(role=Role.AGENT))
    listing = client.get("/staff/feedback/topics/").content.decode()
    assert "物流" in listing
    detail = client.get(f"/staff/feedback/topics/{topics[0].pk}/")
    assert detail.status_code == 200
    assert detail.context["trend"][0]["count"] == 1
    assert "还行吧" in re.sub(r"<[^>]+>", "", detail.content.decode())


def test_a_manager_renames_and_merges_topics(client, topics):
    a, b = topics
    client.force_login(UserFactory(role=Role.MANAGER))

    client.post(f"/staff/feedback/topics/{a.pk}/rename/", {"name": "物流体验"})
    client.post(f"/staff/feedback/topics/{a.pk}/merge/", {"into": b.pk})

    a.refresh_from_db()
    assert a.name == "物流体验" and a.name_edited
    assert a.merged_into == b
    assert FeedbackTopic.objects.get().topic == b


def test_an_agent_cannot_rename_topics(client, topics):
    client.force_login(UserFactory(role=Role.AGENT))
    response = client.post(f"/staff/feedback/topics/{topics[0].pk}/rename/", {"name": "x"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("zh-hans", ["关键词", "条目数", "平均情感", "NPS 影响"]),
        ("en", ["Keywords", "Items", "Average sentiment", "NPS impact"]),
    ],
)
def test_a_topic_s_figures_carry_their_labels_for_the_phone_layout(
    client, topics, language, labels
):
    """On a phone the header row is hidden and each figure shows its label before it."""
    client.force_login(UserFactory(role=Role.AGENT))
    body = client.get("/staff/feedback/topics/", HTTP_ACCEPT_LANGUAGE=language).content.decode()

    row = body[body.index(f'/staff/feedback/topics/{topics[0].pk}/"') :].split("</tr>")[0]
    assert re.findall(r'data-label="([^"]+)"', row) == labels
