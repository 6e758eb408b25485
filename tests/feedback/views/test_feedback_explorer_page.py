"""The staff feedback explorer: filters, highlighted keywords, escaping, permissions."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from feedback.analysis.services import feedback_analyse_batch
from feedback.models import FeedbackTopic, Topic
from surveyhub.security.roles import Role
from tests.factories import FeedbackItemFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/staff/feedback/"


@pytest.fixture
def agent(client):
    client.force_login(UserFactory(role=Role.AGENT))
    return client


def _visible(response) -> str:
    """The page's text without tags (highlighting splits words with <mark>)."""
    return re.sub(r"<[^>]+>", "", response.content.decode())


def _analysed(*texts):
    items = [FeedbackItemFactory(text=t) for t in texts]
    feedback_analyse_batch(item_ids=[i.pk for i in items])
    return items


def test_keywords_are_highlighted(agent):
    _analysed("物流太慢了，等了十天")
    body = agent.get(URL).content.decode()
    assert "<mark>物流</mark>" in body


def test_user_markup_is_escaped_and_never_runs(agent):
    _analysed('<script>alert("x")</script><img src=x onerror=alert(1)>物流太慢')
    body = agent.get(f"{URL}?q=script").content.decode()
    assert "<script>alert" not in body
    assert "<img src=x" not in body
    assert "&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)" in body


def test_a_keyword_never_matches_inside_an_escaped_entity(agent):
    _analysed("amp & quot 好评")
    body = agent.get(f"{URL}?q=amp").content.decode()
    assert "<mark>amp</mark> &amp; " in body
    assert "&<mark>" not in body


@pytest.mark.parametrize(
    ("params", "shown", "hidden"),
    [
        ("sentiment=negative", "物流太慢了", "客服态度很好"),
        ("sentiment=positive", "客服态度很好", "物流太慢了"),
        ("aspect=delivery", "物流太慢了", "客服态度很好"),
        ("q=态度", "客服态度很好", "物流太慢了"),
    ],
)
def test_filters(agent, params, shown, hidden):
    _analysed("物流太慢了，一个星期才到", "客服态度很好，非常满意")
    body = _visible(agent.get(f"{URL}?{params}"))
    assert shown in body
    assert hidden not in body


def test_topic_filter(agent):
    delivery, _praise = _analysed("物流太慢了，一个星期才到", "客服态度很好，非常满意")
    topic = Topic.objects.create(key="t-1", name="物流话题", keywords=["物流"])
    FeedbackTopic.objects.create(item=delivery, topic=topic, weight=1)
    body = _visible(agent.get(f"{URL}?topic={topic.pk}"))
    assert "一个星期才到" in body
    assert "非常满意" not in body


def test_the_page_takes_the_same_number_of_queries_for_more_items(agent):
    _analysed("物流太慢了", "包装很好")
    with CaptureQueriesContext(connection) as few:
        agent.get(URL)
    _analysed(*[f"第{n}条：物流太慢，客服不理人" for n in range(20)])
    with CaptureQueriesContext(connection) as many:
        agent.get(URL)
    assert len(many) == len(few)


def test_a_designer_cannot_open_the_explorer(client):
    client.force_login(UserFactory(role=Role.DESIGNER))
    assert client.get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get(URL).status_code == 302


def test_the_nav_links_to_the_explorer_for_agents_only(client):
    client.force_login(UserFactory(role=Role.AGENT))
    assert URL in client.get("/staff/").content.decode()
    client.force_login(UserFactory(role=Role.DESIGNER))
    assert f'href="{URL}"' not in client.get("/staff/").content.decode()
