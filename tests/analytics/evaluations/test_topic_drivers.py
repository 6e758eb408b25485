"""Topic drivers: NPS of responses mentioning a topic vs not, weighted by mention share."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics.metric_queries.drivers import topic_drivers
from analytics.metric_queries.filters import MetricFilters
from feedback.models import FeedbackAspect, FeedbackItem, FeedbackTopic, Topic
from tests.analytics.evaluations.conftest import local
from tests.factories import survey_feedback_item

pytestmark = pytest.mark.django_db


def mention(response, *, topics=(), aspects=()):
    item = survey_feedback_item(response)
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


def test_drivers_count_from_the_items_without_joining_the_responses(respond):
    """Scale: a topic's NPS counts come from the score each item carries, so with date filters
    only the overall NPS reads surveys_response (a million rows at 1M responses)."""
    delivery = Topic.objects.create(key="t-delivery", name="物流")
    mention(respond(nps=1, at=local(2026, 5, 10)), topics=[delivery], aspects=["物流"])
    mention(respond(nps=10, at=local(2026, 5, 11)))
    mention(respond(nps=2, at=local(2026, 4, 1)), topics=[delivery])  # outside the dates

    with CaptureQueriesContext(connection) as queries:
        drivers = topic_drivers(filters=MetricFilters(start=dt.date(2026, 5, 1)))

    assert [(d.kind, d.mentions, d.nps_with, d.nps_without) for d in drivers] == [
        ("topic", 1, -100.0, 100.0),
        ("aspect", 1, -100.0, 100.0),
    ]
    assert len(queries) == 3
    assert ["surveys_response" in q["sql"] for q in queries.captured_queries] == [
        True, False, False,
    ]  # fmt: skip


def test_response_filters_apply_to_the_items_and_other_channels_are_not_mentions(respond):
    delivery = Topic.objects.create(key="t-delivery", name="物流")
    mention(respond(nps=1, channel="wechat"), topics=[delivery])
    mention(respond(nps=0, channel="email"), topics=[delivery])
    respond(nps=9, channel="wechat")
    imported = FeedbackItem.objects.create(text="物流太慢", source="import")
    FeedbackTopic.objects.create(item=imported, topic=delivery, weight=1.0)

    [driver] = topic_drivers(filters=MetricFilters(channel="wechat"))

    assert (driver.mentions, driver.nps_with, driver.nps_without) == (1, -100.0, 100.0)
