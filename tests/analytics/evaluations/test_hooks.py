"""What analytics registers in the lower apps: audience filters, the value panel and API
value, and the value tier offered to feedback's case priority."""

import datetime as dt

import pytest
from django.utils import timezone

from analytics.evaluations.clv_runs import clv_fit
from analytics.evaluations.segments import segment_label
from analytics.hooks import (
    customer_value,
    customer_value_tier,
    customer_value_tiers,
    register_hooks,
)
from surveys.customers.panels import customer_panels
from surveys.distribution.audience import AudienceError, audience_build, audience_clean
from tests.analytics.evaluations.conftest import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def valued(customer, buy):
    """Ten customers with 1–3 orders each and a CLV run as of 2026-06-30."""
    people = [customer() for _ in range(10)]
    for i, person in enumerate(people):
        for k in range(i % 3 + 1):
            buy(person, local(2026, 1 + 2 * k, 1 + i), amount=f"{50 + 40 * i}.00")
    clv_fit(as_of=dt.date(2026, 6, 30))
    return people


def test_value_tier_comes_from_the_latest_run(valued, customer):
    tiers = [customer_value_tier(p.pk) for p in valued]

    assert tiers.count("high") == 2 and tiers.count("medium") == 3 and tiers.count("low") == 5
    assert customer_value_tier(customer().pk) is None


def test_value_tiers_of_many_customers_are_those_of_each(valued, customer):
    unknown = customer()
    tiers = customer_value_tiers([p.pk for p in valued] + [unknown.pk])

    assert tiers == {p.pk: customer_value_tier(p.pk) for p in valued}
    assert customer_value_tiers([]) == {}


def test_customer_value_gives_rfm_clv_and_p_alive(valued):
    value = customer_value(valued[0])

    assert {"r_score", "f_score", "m_score", "rfm_segment", "clv", "p_alive"} <= set(value)
    assert value["as_of"] == "2026-06-30"


def test_rfm_segment_and_value_tier_audience_filters(valued, survey):
    register_hooks()  # idempotent; other tests may have cleared a registry
    tier = customer_value_tier(valued[-1].pk)

    audience = audience_build(survey=survey, filters={"value_tier": [tier]})

    assert valued[-1] in audience
    assert all(customer_value_tier(c.pk) == tier for c in audience)
    segment = customer_value(valued[0])["rfm_segment"]
    assert valued[0] in audience_build(survey=survey, filters={"rfm_segment": segment})


def test_purchased_within_days_filter(customer, buy, survey):
    register_hooks()
    recent, old, refund = customer(), customer(), customer()
    buy(recent, timezone.now() - dt.timedelta(days=3))
    buy(old, timezone.now() - dt.timedelta(days=40))
    buy(refund, timezone.now() - dt.timedelta(days=1), amount="-5.00")

    audience = list(audience_build(survey=survey, filters={"purchased_within_days": 30}))

    assert audience == [recent]


@pytest.mark.parametrize(
    "filters",
    [{"purchased_within_days": 0}, {"purchased_within_days": "x"}, {"rfm_segment": ["vip"]},
     {"value_tier": "gold"}],
)  # fmt: skip
def test_bad_filter_values_are_refused_with_a_message(filters):
    register_hooks()
    with pytest.raises(AudienceError) as error:
        audience_clean(filters)
    assert error.value.errors


def test_the_value_panel_is_registered_for_managers_only(valued):
    from tests.factories import UserFactory

    register_hooks()
    manager = UserFactory(role="经理 Manager")
    agent = UserFactory(role="客服 Agent")

    assert "value" in [p.key for p in customer_panels(manager)]
    assert "value" not in [p.key for p in customer_panels(agent)]


def test_the_customer_api_shows_the_value(valued):
    from django.test import Client

    from tests.factories import UserFactory

    register_hooks()
    client = Client()
    client.force_login(UserFactory(role="管理员 Admin"))

    body = client.get(f"/api/v1/customers/{valued[0].pk}/").json()

    assert body["value"]["rfm_segment"] == customer_value(valued[0])["rfm_segment"]


def test_feedback_case_priority_sees_the_value_tier(valued):
    from feedback.cases.priority import value_tier

    register_hooks()

    assert value_tier(valued[0]) == customer_value_tier(valued[0].pk)


def test_the_value_panel_renders_segment_clv_and_p_alive(valued):
    from django.template.loader import render_to_string

    from analytics.hooks import value_panel

    content = value_panel(valued[0], None)
    html = render_to_string(content.template, content.context)

    value = content.context["value"]
    from django.utils import translation

    from surveyhub.formatting import format_money, format_percent

    with translation.override("zh-hans"):
        clv = format_money(value.clv, decimals=0)  # "¥1,234": rounded, with the currency
        alive = format_percent(value.p_alive, decimals=1)  # "87.5%"
    assert clv in html and content.context["segment_name"] in html
    assert content.context["segment_name"] == segment_label(value.rfm_segment)
    assert alive in html
