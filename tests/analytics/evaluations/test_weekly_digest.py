"""The weekly digest: last week's headline numbers to every Manager, once per week."""

import datetime as dt

import pytest

from analytics.dashboard.digests import weekly_digest_send
from feedback.models import FeedbackTopic, Topic
from tests.analytics.evaluations.conftest import local
from tests.factories import UserFactory, survey_feedback_item

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 6, 15)


@pytest.fixture
def last_week(respond):
    delivery = Topic.objects.create(key="t-delivery", name="物流太慢")
    for day, score in ((8, 10), (9, 10), (10, 9), (12, 2), (14, 3)):
        response = respond(nps=score, at=local(2026, 6, day))
        if score < 7:
            item = survey_feedback_item(response)
            FeedbackTopic.objects.create(item=item, topic=delivery, weight=1.0)
    respond(nps=0, at=local(2026, 6, 2))  # the week before
    respond(nps=10, at=local(2026, 6, 15))  # this week: not in the digest


def test_managers_get_the_headline_numbers_and_negative_topics(last_week, mailoutbox):
    UserFactory(username="boss", email="boss@example.cn", role="经理 Manager")
    UserFactory(username="agent", email="agent@example.cn", role="客服 Agent")
    UserFactory(username="quiet", email="", role="经理 Manager")

    sent = weekly_digest_send(today=MONDAY)

    assert sent == 1
    assert [m.to for m in mailoutbox] == [["boss@example.cn"]]
    body = mailoutbox[0].body
    assert "2026-06-08" in mailoutbox[0].subject and "2026-06-14" in mailoutbox[0].subject
    assert "20.0" in body and "n=5" in body  # NPS (3 − 2) / 5
    assert "物流太慢" in body
    assert mailoutbox[0].alternatives[0].mimetype == "text/html"


def test_a_second_run_in_the_same_week_sends_nothing(last_week, mailoutbox):
    UserFactory(username="boss", email="boss@example.cn", role="经理 Manager")

    weekly_digest_send(today=MONDAY)
    again = weekly_digest_send(today=MONDAY + dt.timedelta(days=2))

    assert again == 0 and len(mailoutbox) == 1
