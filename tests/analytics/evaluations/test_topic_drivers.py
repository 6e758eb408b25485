"""Topic drivers: NPS of responses mentioning a topic vs not, weighted by mention share."""

import pytest

from analytics.metric_queries import topic_drivers
from feedback.models import FeedbackAspect, FeedbackItem, FeedbackTopic, Topic

pytestmark = pytest.mark.django_db


def mention(response, *, topics=(), aspects=()):
    item = FeedbackItem.objects.create(text="…", response=response, source="survey")
    for topic in topics:
        FeedbackTopic.objects.create(item=item, topic=topic, weight=1.0)
    for aspect in aspects:
        FeedbackAspect.objects.create(item=item, aspect=aspect, score=0.1, label="negative")
    return item


def test_drivers_rank_the_costliest_topic_first(respond):
    delivery = Topic.objects.create(key="t-delivery", name="物流")
    price = Topic.objects.create(key="t-price", name="价格")
    packaging = Topic.objects.create(key="t-pack", name="包装")
    # 10 responses: 4 detractors about delivery, 1 detractor about packaging,
    # 2 promoters about price, 3 promoters silent.
    for _ in range(4):
        mention(respond(nps=2), topics=[delivery], aspects=["物流"])
    mention(respond(nps=5), topics=[packaging])
    for _ in range(2):
        item = mention(respond(nps=10), topics=[price])
        mention(item.response, topics=[price])  # two items of one response count once
    for _ in range(3):
        respond(nps=9)

    drivers = topic_drivers()

    topics = [d for d in drivers if d.kind == "topic"]
    assert [d.name for d in topics] == ["物流", "包装", "价格"]
    first = topics[0]
    assert (first.mentions, first.mention_share) == (4, 40.0)
    assert first.nps_with == -100.0 and first.nps_without == pytest.approx(100 * 4 / 6)
    assert first.impact == pytest.approx((-100.0 - 400 / 6) * 0.4)
    assert topics[2].mentions == 2 and topics[2].impact > 0
    assert [d.key for d in drivers if d.kind == "aspect"] == ["物流"]


def test_no_nps_answers_means_no_drivers(respond):
    respond(csat=5)

    assert topic_drivers() == []
