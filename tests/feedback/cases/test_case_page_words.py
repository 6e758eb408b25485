"""The case page speaks to the agent in words: why the case was opened, how long is left
before it is due (coloured as it nears), the timeline's statuses, sentiment as a word with
how sure the model is — never a stored code or a bare probability."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from feedback.cases import wording
from feedback.cases.services import case_claim
from feedback.models.cases import Case, CaseStatus
from surveyhub.security.roles import Role
from tests.factories import UserFactory, detractor_case

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


def render(text: str, **context) -> str:
    return Template("{% load case_words %}" + text).render(Context(context))


@pytest.mark.parametrize(
    ("trigger", "zh", "en"),
    [
        ({"kind": "nps_max", "detail": "NPS 2"}, "NPS 2 分", "NPS score 2"),
        ({"kind": "sentiment_below", "detail": "0.03"}, "情绪很负面（0.03）", "Very negative"),
        ({"kind": "sentiment_below", "detail": "0.20"}, "情绪负面（0.20）", "Negative sentiment"),
        ({"kind": "escalation_words", "detail": "投诉、退款"}, "升级关键词：投诉、退款", "投诉"),
    ],
)
def test_why_a_case_was_opened_is_said_in_words(trigger, zh, en):
    with translation.override("zh-hans"):
        assert wording.trigger_words(trigger) == zh
    with translation.override("en"):
        assert en in wording.trigger_words(trigger)


def test_time_left_and_overdue_by_in_words_coloured_by_the_sla_state():
    with translation.override("zh-hans"):
        left = render(
            "{% due_words due now 'near' %}", due=NOW + dt.timedelta(hours=3, minutes=20), now=NOW
        )
        late = render("{% due_words due now %}", due=NOW - dt.timedelta(days=2, hours=4), now=NOW)
    assert 'class="due near"' in left and "还剩 3 小时 20 分钟" in left
    assert 'class="due overdue"' in late and "已超时 2 天 4 小时" in late
    with translation.override("en"):
        late = render("{% due_words due now %}", due=NOW - dt.timedelta(minutes=1), now=NOW)
    assert "overdue by 1 minute<" in late


def test_sentiment_is_a_word_with_the_confidence_of_that_word_not_of_positive():
    with translation.override("zh-hans"):
        negative = render("{% sentiment 'negative' 0.25 %}")
        positive = render("{% sentiment 'positive' 0.9 %}")
        neutral = render("{% sentiment 'neutral' 0.5 %}")
    assert 'class="sentiment negative"' in negative and "负面（把握 75%）" in negative
    assert "正面（把握 90%）" in positive
    assert ">中性<" in neutral and "%" not in neutral
    assert "25%" not in negative


def test_value_tiers_are_labels_and_free_text_tiers_stay_as_given():
    with translation.override("zh-hans"):
        assert [wording.tier_label(t) for t in ("high", "low", "VIP")] == [
            "高价值",
            "低价值",
            "VIP",
        ]


def test_the_case_page_shows_no_status_code_and_the_reason_in_words(client):
    case = detractor_case(nps=2)
    agent = UserFactory(role=Role.AGENT)
    case_claim(case=case, by=agent)
    client.force_login(agent)
    page = client.get(f"/staff/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "NPS 2 分" in page
    assert "→ assigned" not in page and "→ new" not in page
    with translation.override("zh-hans"):
        assert f"状态：{CaseStatus.ASSIGNED.label}" in page
    assert "还剩" in page


def test_a_case_overdue_shows_how_long_in_red(client):
    case = detractor_case(nps=1)
    Case.objects.filter(pk=case.pk).update(due_at=timezone.now() - dt.timedelta(hours=5, minutes=2))
    client.force_login(UserFactory(role=Role.AGENT))
    page = client.get(f"/staff/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'class="due overdue"' in page and "overdue by 5 hours" in page
