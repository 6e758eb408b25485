"""NPS / CSAT / CES through the query layer, on small data sets computed by hand."""

import datetime as dt
import math

import pytest

from analytics.evaluations.periods import period_parse
from analytics.metric_queries.filters import MetricFilters
from analytics.metric_queries.survey_metrics import (
    metric_breakdown,
    metric_change,
    metric_summary,
    metric_trend,
)
from tests.analytics.evaluations.conftest import local
from tests.factories import published_survey

pytestmark = pytest.mark.django_db


def test_no_responses_give_empty_metrics_not_zero(survey):
    summary = metric_summary()

    assert summary.nps.n == 0 and summary.nps.value is None and summary.nps.ci_low is None
    assert summary.csat.top2_share is None and summary.ces.mean is None
    assert metric_trend(metric="nps", interval="month") == []


def test_all_promoters_give_nps_100_with_a_degenerate_interval(respond):
    for score in (9, 10, 10):
        respond(nps=score)

    result = metric_summary().nps

    assert (result.value, result.n, result.ci_low, result.ci_high) == (100.0, 3, 100.0, 100.0)


def test_nps_csat_ces_match_the_hand_computed_values(respond):
    for score in (9, 9, 10, 10, 10, 7, 8, 8, 0, 6):
        respond(nps=score)
    for score in (5, 4, 3, 2, 5):
        respond(csat=score)
    for score in (7, 5, 3):
        respond(ces=score)

    summary = metric_summary()

    assert summary.nps.value == pytest.approx(30.0)
    assert (summary.nps.promoters, summary.nps.passives, summary.nps.detractors) == (5, 3, 2)
    half_width = 1.96 * math.sqrt((0.5 + 0.2 - 0.3**2) / 10) * 100
    assert summary.nps.ci_low == pytest.approx(30.0 - half_width)
    assert summary.nps.ci_high == pytest.approx(min(30.0 + half_width, 100.0))
    assert (summary.csat.top2_share, summary.csat.mean, summary.csat.n) == (60.0, 3.8, 5)
    assert summary.ces.mean == 5.0 and summary.ces.easy_share == pytest.approx(200 / 3)


def test_in_progress_responses_are_left_out(respond, survey):
    from surveys.models import Response, ResponseStatus

    respond(nps=10)
    Response.objects.create(
        survey=survey, version=survey.current_version, channel="link", nps_score=0,
        status=ResponseStatus.IN_PROGRESS,
    )  # fmt: skip

    assert metric_summary().nps.value == 100.0


def test_trend_buckets_follow_shanghai_calendar_days(respond):
    respond(nps=10, at=local(2026, 3, 31, 23, 30))  # 15:30 UTC, still March in Shanghai
    respond(nps=0, at=local(2026, 4, 1, 0, 30))  # 2026-03-31 16:30 UTC, April in Shanghai
    respond(nps=0, at=local(2026, 4, 1, 7, 59))  # still 3/31 in UTC

    months = metric_trend(metric="nps", interval="month")
    quarters = metric_trend(metric="nps", interval="quarter")
    days = metric_trend(metric="nps", interval="day")

    assert [(p.period, p.value, p.n) for p in months] == [
        ("2026-03", 100.0, 1),
        ("2026-04", -100.0, 2),
    ]
    assert [p.period for p in quarters] == ["2026Q1", "2026Q2"]
    assert [p.period for p in days] == ["2026-03-31", "2026-04-01"]


def test_weekly_trend_starts_weeks_on_monday(respond):
    respond(csat=5, at=local(2026, 4, 5, 23))  # a Sunday
    respond(csat=1, at=local(2026, 4, 6, 0, 10))  # the next Monday

    weeks = metric_trend(metric="csat", interval="week")

    assert [(p.period, p.value) for p in weeks] == [("2026-03-30", 100.0), ("2026-04-06", 0.0)]


def test_date_filters_are_inclusive_local_days(respond):
    respond(nps=10, at=local(2026, 4, 1, 0, 5))
    respond(nps=0, at=local(2026, 4, 30, 23, 55))
    respond(nps=0, at=local(2026, 5, 1, 0, 5))

    april = metric_summary(MetricFilters(start=dt.date(2026, 4, 1), end=dt.date(2026, 4, 30)))

    assert april.nps.n == 2 and april.nps.value == 0.0


def test_survey_channel_store_and_region_filters(respond, customer):
    other = published_survey(consent_text="")
    beijing = customer(region="北京")
    respond(nps=10, channel="email", store="S1", customer=beijing)
    respond(nps=0, channel="link", store="S2")
    respond(nps=0, channel="email", on=other)

    assert metric_summary(MetricFilters(channel="email")).nps.n == 2
    assert metric_summary(MetricFilters(survey=other.pk)).nps.value == -100.0
    assert metric_summary(MetricFilters(store="S1")).nps.value == 100.0
    assert metric_summary(MetricFilters(region="北京")).nps.n == 1


def test_category_filter_and_breakdown_use_what_the_customer_bought(respond, customer, buy):
    shoes_and_food, food = customer(), customer()
    buy(shoes_and_food, local(2026, 1, 5), category="鞋靴")
    buy(shoes_and_food, local(2026, 1, 6), category="食品")
    buy(shoes_and_food, local(2026, 1, 7), category="食品")  # two orders: counted once
    buy(food, local(2026, 1, 5), category="食品")
    respond(nps=10, customer=shoes_and_food)
    respond(nps=0, customer=food)
    respond(nps=5)  # anonymous: in no category

    by_category = metric_breakdown(by="category")

    assert metric_summary(MetricFilters(category="鞋靴")).nps.value == 100.0
    assert by_category["鞋靴"].nps.n == 1
    assert by_category["食品"].nps.n == 2 and by_category["食品"].nps.value == 0.0


def test_refund_only_buyers_are_not_in_the_category(respond, customer, buy):
    refunder = customer()
    buy(refunder, local(2026, 1, 5), amount="-50.00", category="鞋靴")
    respond(nps=10, customer=refunder)

    assert metric_summary(MetricFilters(category="鞋靴")).nps.n == 0


def test_period_change_test_flags_small_samples_and_gives_a_p_value(respond):
    for _ in range(40):
        respond(nps=10, at=local(2026, 5, 1))
    for _ in range(40):
        respond(nps=0, at=local(2026, 2, 1))
    respond(csat=5, at=local(2026, 5, 1))

    change = metric_change(period=period_parse("2026Q2"))

    assert change.nps_test.difference == pytest.approx(200.0)
    assert change.nps_test.p_value == 0.0 and change.nps_test.small_sample is False
    assert change.csat_test.p_value is None and change.csat_test.small_sample is True


def test_summary_and_trend_take_one_query_each(respond, django_assert_num_queries):
    for day in range(1, 20):
        respond(nps=day % 11, csat=day % 5 + 1, at=local(2026, 5, day))

    with django_assert_num_queries(1):
        metric_summary(MetricFilters(start=dt.date(2026, 5, 1), channel="link"))
    with django_assert_num_queries(1):
        metric_trend(metric="nps", interval="day")
    with django_assert_num_queries(1):
        metric_breakdown(by="channel")


def test_trend_buckets_follow_a_zone_with_daylight_saving_too(respond, settings):
    from zoneinfo import ZoneInfo

    settings.TIME_ZONE = "Europe/Berlin"
    berlin = ZoneInfo("Europe/Berlin")
    respond(nps=10, at=dt.datetime(2026, 3, 31, 23, 30, tzinfo=berlin))  # CEST, 21:30 UTC
    respond(nps=0, at=dt.datetime(2026, 4, 1, 0, 30, tzinfo=berlin))

    months = metric_trend(metric="nps", interval="month")

    assert [(p.period, p.value) for p in months] == [("2026-03", 100.0), ("2026-04", -100.0)]


def test_a_breakdown_counts_only_the_metrics_asked_for(respond):
    respond(nps=10, csat=5, ces=2, channel="wechat")
    respond(nps=3, csat=1, ces=6, channel="wechat")

    full = metric_breakdown(by="channel")["wechat"]
    lean = metric_breakdown(by="channel", metrics=("nps",))["wechat"]

    assert (full.nps, full.csat.n, full.ces.n) == (lean.nps, 2, 2)
    assert (lean.csat.n, lean.ces.n) == (0, 0)
