""" "Plan an improvement" (制定改进措施) on a feedback topic's page, on the topics list (topics
that pull NPS down) and on the dashboard's NPS/CSAT/CES charts: each opens the action form
prefilled, and the action saved from it carries the topic or the indicator."""

import datetime as dt
import html
import re

import pytest
from django.utils import timezone, translation

from analytics.evaluations.periods import local_today, period_containing
from analytics.models import ActionSource, ImprovementAction
from feedback.models import FeedbackItem, FeedbackTopic, Topic
from surveyhub.security.roles import Role
from surveys.models import Response, ResponseStatus
from tests.analytics.actions.conftest import client_for
from tests.factories import UserFactory, published_survey

pytestmark = pytest.mark.django_db


def plan_links(response) -> list[str]:
    body = response.content.decode()
    return [
        html.unescape(h) for h in re.findall(r'class="plan-link[^"]*"[^>]*href="([^"]+)"', body)
    ]


def form_values(response) -> dict:
    """What the browser would send back from the form as served (inputs and selections)."""
    body = response.content.decode()
    form = body[body.index('<form method="post" class="form al-form"') :]
    form = form[: form.index("</form>")]
    values = {}
    for tag in re.findall(r"<input[^>]+>", form):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and 'type="checkbox"' not in tag:
            values[name.group(1)] = html.unescape(value.group(1)) if value else ""
    for name, inner in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', inner)
        values[name] = chosen.group(1) if chosen else ""
    return values


def mention(topic, nps_score: int) -> None:
    """One NPS answer whose comment is about the topic."""
    survey = published_survey(consent_text="")
    response = Response.objects.create(
        survey=survey, version=survey.current_version, channel="link", nps_score=nps_score,
        status=ResponseStatus.COMPLETED, completed_at=timezone.now(),
    )  # fmt: skip
    item = FeedbackItem.objects.create(text="送货太慢了", source="survey", response=response)
    FeedbackTopic.objects.create(item=item, topic=topic, weight=1.0)


@pytest.fixture
def topic(db):
    """A topic detractors talk about: it pulls NPS down."""
    topic = Topic.objects.create(key="delivery-late", name="配送延誤 🚚")
    mention(topic, 2)
    return topic


def test_the_topic_page_plans_an_improvement_that_carries_the_topic(manager, manager_user, topic):
    links = plan_links(manager.get(f"/staff/feedback/topics/{topic.pk}/"))
    assert links == [f"/staff/actions/new/?topic={topic.pk}"]

    form = manager.get(links[0])
    values = form_values(form)
    assert values["title"] == "Fix what customers say about “配送延誤 🚚”"
    assert values["topic"] == str(topic.pk) and values["source_kind"] == "topic"
    values.update(expected_change="5", due_date=(local_today() + dt.timedelta(days=14)).isoformat())
    response = manager.post(links[0], values)

    assert response.status_code == 302, response.content.decode()
    action = ImprovementAction.objects.get()
    assert action.topic == topic and action.source == ActionSource.TOPIC
    assert action.title == "Fix what customers say about “配送延誤 🚚”"


def test_the_topics_list_offers_it_for_topics_that_pull_nps_down_only(manager, topic):
    mention(Topic.objects.create(key="praise", name="服务好"), 10)  # lifts NPS: no button

    links = plan_links(manager.get("/staff/feedback/topics/"))

    assert links == [f"/staff/actions/new/?topic={topic.pk}"]


def test_the_dashboard_plans_an_improvement_of_nps_csat_or_ces(manager, manager_user):
    code = period_containing(local_today()).code

    links = plan_links(manager.get("/admin/dashboard/"))

    assert links == [
        f"/staff/actions/new/?indicator={i}&period={code}" for i in ("nps", "csat", "ces")
    ]
    values = form_values(manager.get(links[1]))
    assert values["title"] == "Bring CSAT back to target" and values["indicator"] == "csat"
    assert values["baseline_period"] == code
    values.update(expected_change="3", due_date=(local_today() + dt.timedelta(days=30)).isoformat())
    response = manager.post(links[1], values)
    assert response.status_code == 302, response.content.decode()
    action = ImprovementAction.objects.get()
    assert action.indicator == "csat" and action.baseline_period == code
    assert action.source == ActionSource.INDICATOR


def test_the_button_is_in_chinese_and_hidden_from_who_cannot_plan(topic):
    manager = client_for(UserFactory(role=Role.MANAGER))
    with translation.override("zh-hans"):
        page = manager.get(f"/staff/feedback/topics/{topic.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "制定改进措施" in page.content.decode()
    agent = client_for(UserFactory(role=Role.AGENT))
    response = agent.get(f"/staff/feedback/topics/{topic.pk}/")
    assert response.status_code == 200 and plan_links(response) == []


def test_who_cannot_plan_sees_no_separator_left_for_the_button(manager, topic):
    """An agent's topics list and topic page once showed "配送延誤 🚚 ·" with nothing after
    the dot: the separator stood outside the permission check."""
    mention(Topic.objects.create(key="praise", name="服务好"), 10)  # so the first pulls NPS down
    agent = client_for(UserFactory(role=Role.AGENT))
    for client, expected in ((agent, 0), (manager, 1)):
        for url in ("/staff/feedback/topics/", f"/staff/feedback/topics/{topic.pk}/"):
            body = client.get(url).content.decode()
            assert body.count(' · <a class="plan-link') == expected, url
            assert not re.search(r"·\s*(</td>|</p>|<ul)", body), url
