"""Each kind of rule against real data: CSAT drop month over month, detractor share over a
threshold, an indicator that missed its target in the scorecard, a topic whose negative
mentions surge (and the alert reads right in both languages)."""

import datetime as dt

import pytest
from django.utils import translation

from analytics.alerts import words
from analytics.alerts.services import alerts_evaluate
from analytics.evaluations.scorecard import evaluation_compute
from feedback.models import FeedbackItem, FeedbackTopic, Topic
from tests.analytics.alerts.conftest import (
    LAST_WEEK,
    SHANGHAI,
    TODAY,
    WEEK_BEFORE,
    answer,
    make_rule,
)

pytestmark = pytest.mark.django_db


def test_csat_drop_month_over_month(survey):
    answer(survey, dt.date(2026, 9, 15), 80, csat_score=5)
    answer(survey, dt.date(2026, 9, 16), 20, csat_score=2)
    answer(survey, dt.date(2026, 10, 15), 50, csat_score=4)
    answer(survey, dt.date(2026, 10, 16), 50, csat_score=1)
    make_rule(name="CSAT 月环比", kind="csat_drop", window="month", threshold=10)
    (alert,) = alerts_evaluate(today=TODAY)
    assert alert.key == "csat:2026-10"
    assert alert.details["current"] == 50.0 and alert.details["previous"] == 80.0
    assert (
        words.alert_title("csat_drop", alert.details) == "CSAT fell from 80.0% to 50.0% in 10/2026"
    )
    with translation.override("zh-hans"):
        title = words.alert_title("csat_drop", alert.details)
    assert "CSAT" in title and "2026" in title and "80.0%" in title and "fell" not in title


def test_detractor_share_above_the_threshold(survey):
    answer(survey, LAST_WEEK, 35, nps_score=4)
    answer(survey, LAST_WEEK, 65, nps_score=9)
    make_rule(name="贬损者超 30%", kind="detractor_share", threshold=30, min_count=50)
    make_rule(name="贬损者超 40%", kind="detractor_share", threshold=40, min_count=50)
    (alert,) = alerts_evaluate(today=TODAY)
    assert alert.rule.name == "贬损者超 30%"
    assert alert.details["share"] == 35.0 and alert.details["n"] == 100
    assert "35 of 100" not in alert.message  # stored in the default language (zh-hans)
    assert "35" in words.alert_message("detractor_share", alert.details)


def test_an_indicator_that_missed_its_target_in_the_last_complete_month(survey):
    answer(survey, dt.date(2026, 10, 5), 10, nps_score=10)
    answer(survey, dt.date(2026, 10, 6), 30, nps_score=1)  # NPS −50 against a target of 30
    evaluation_compute(period="2026-10")
    make_rule(name="指标未达标", kind="below_target", window="month", indicator="nps")
    (alert,) = alerts_evaluate(today=TODAY)
    assert alert.key == "target:nps:2026-10"
    assert alert.details["value"] == -50.0 and alert.details["target"] == 30.0
    assert words.alert_message("below_target", alert.details) == (
        "NPS was −50.0 against a target of ≥ 30.0."
    )


def _negative(topic, day, count, text="退款太慢，客服不回复 😡"):
    moment = dt.datetime.combine(day, dt.time(10), tzinfo=SHANGHAI)
    for _ in range(count):
        item = FeedbackItem.objects.create(
            text=text, source="api", created_at=moment, sentiment_label="negative",
            sentiment_score=0.1,
        )  # fmt: skip
        FeedbackTopic.objects.create(item=item, topic=topic, weight=1.0)


def test_a_topic_whose_negative_mentions_surge():
    refunds = Topic.objects.create(key="refund", name="退款 退貨")
    delivery = Topic.objects.create(key="delivery", name="物流")
    _negative(refunds, WEEK_BEFORE, 3)
    _negative(refunds, LAST_WEEK, 15)  # ×5, p ≈ 0.004
    _negative(delivery, WEEK_BEFORE, 10)
    _negative(delivery, LAST_WEEK, 12)  # steady
    make_rule(name="话题激增", kind="topic_surge", threshold=2, min_count=5)
    (alert,) = alerts_evaluate(today=TODAY)
    assert alert.details["topic"] == "退款 退貨"
    assert (alert.details["current"], alert.details["previous"]) == (15, 3)
    assert alert.details["p_value"] < 0.01
    assert "退款 退貨" in words.alert_title("topic_surge", alert.details)


def test_a_surge_rule_can_watch_one_topic_only():
    refunds = Topic.objects.create(key="refund", name="退款")
    other = Topic.objects.create(key="other", name="其他")
    _negative(refunds, LAST_WEEK, 12)
    _negative(other, LAST_WEEK, 12)
    make_rule(name="只看退款", kind="topic_surge", threshold=2, min_count=5, topic=other)
    (alert,) = alerts_evaluate(today=TODAY)
    assert alert.details["topic_id"] == other.pk
