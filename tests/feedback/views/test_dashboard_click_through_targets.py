"""Where the dashboard's click-throughs land: exactly what the element counted, and the page
says which filter it received, could not apply, or does not have."""

import pytest

from feedback.models.cases import Case
from surveyhub.security.roles import Role
from tests.factories import FeedbackItemFactory, UserFactory, detractor_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client):
    client.force_login(UserFactory(role=Role.MANAGER))
    return client


def test_the_nps_0_bar_opens_the_feedback_of_those_who_scored_0(manager):
    zero, _nine = FeedbackItemFactory(text="太差了", nps_score=0), FeedbackItemFactory(nps_score=9)
    page = manager.get("/staff/feedback/?nps=0", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert [item.pk for item in page.context["page"]] == [zero.pk]
    assert "仅 NPS 打 0 分的客户" in page.content.decode()


def test_a_score_it_cannot_apply_is_said_not_dropped(manager):
    FeedbackItemFactory(nps_score=3)
    page = manager.get("/staff/feedback/?nps=eleven", HTTP_ACCEPT_LANGUAGE="en")
    assert "Could not apply the NPS score “eleven”" in page.content.decode()
    assert page.context["page"].paginator.count == 1


def test_dashboard_filters_the_explorer_has_not_are_named(manager):
    page = manager.get("/staff/feedback/?channel=email&store=BJ01", HTTP_ACCEPT_LANGUAGE="en")
    assert "Not applied here (this page has no such filter): Channel、Store." in (
        page.content.decode()
    )


def test_the_high_value_link_is_a_valid_queue_filter_even_with_no_high_case_open(manager):
    low = detractor_case()
    Case.objects.filter(pk=low.pk).update(value_tier="low")
    page = manager.get("/staff/cases/?value_tier=high", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert not page.context["form"].errors
    assert page.context["filters"].value_tier == "high"
    assert list(page.context["page"]) == []
    assert "筛选条件: 高价值" in page.content.decode()


def test_a_queue_filter_it_cannot_apply_is_named_and_the_others_still_apply(manager):
    mine = detractor_case()
    Case.objects.filter(pk=mine.pk).update(priority="P1")
    detractor_case()
    page = manager.get("/staff/cases/?value_tier=nonsense&priority=P1", HTTP_ACCEPT_LANGUAGE="en")
    assert "Some filters could not be applied:" in page.content.decode()
    assert [c.pk for c in page.context["page"]] == [mine.pk]
