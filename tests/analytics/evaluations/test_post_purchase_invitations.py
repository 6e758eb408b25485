"""Post-purchase surveys: N days after an order in a category, the beat task invites the buyer,
through the distribution services — so the frequency cap and unsubscribes still apply."""

import datetime as dt

import pytest

from analytics.evaluations.periods import local_midnight, local_today
from analytics.evaluations.post_purchase import post_purchase_invitations_run
from analytics.evaluations.tasks import post_purchase_invitations
from analytics.models import PostPurchaseRule, PostPurchaseRun
from surveys.models import Invitation
from tests.surveys.distribution.helpers import invited_before

pytestmark = pytest.mark.django_db


def at_local_day(day: dt.date, hour: int = 15) -> dt.datetime:
    return local_midnight(day) + dt.timedelta(hours=hour)


@pytest.fixture
def rule(survey):
    return PostPurchaseRule.objects.create(category="服装", days_after=7, survey=survey)


def test_the_beat_task_invites_last_weeks_buyers_and_honours_the_frequency_cap(
    rule, customer, buy, mailoutbox, django_capture_on_commit_callbacks
):
    week_ago = local_today() - dt.timedelta(days=7)
    fresh = customer(email="fresh@example.cn")
    capped = customer(email="capped@example.cn")
    invited_before(capped, days=3)  # another survey mailed them 3 days ago
    unsubscribed = customer(email="gone@example.cn", unsubscribed=True)
    other_category = customer(email="food@example.cn")
    other_day = customer(email="early@example.cn")
    for person in (fresh, capped, unsubscribed):
        buy(person, at_local_day(week_ago), category="服装")
    buy(other_category, at_local_day(week_ago), category="食品")
    buy(other_day, at_local_day(week_ago - dt.timedelta(days=1)), category="服装")

    with django_capture_on_commit_callbacks(execute=True):
        post_purchase_invitations.apply()

    assert [m.to for m in mailoutbox] == [["fresh@example.cn"]]
    run = PostPurchaseRun.objects.get(rule=rule)
    assert run.day == week_ago and run.customers == 3
    reasons = dict(
        Invitation.objects.filter(distribution=run.distribution).values_list(
            "customer__email", "skip_reason"
        )
    )
    assert reasons == {
        "fresh@example.cn": "",
        "capped@example.cn": "frequency_cap",
        "gone@example.cn": "unsubscribed",
    }


def test_running_the_same_day_twice_invites_no_one_twice(
    rule, customer, buy, mailoutbox, django_capture_on_commit_callbacks
):
    today = dt.date(2026, 6, 10)
    buy(customer(), at_local_day(dt.date(2026, 6, 3)), category="服装")

    with django_capture_on_commit_callbacks(execute=True):
        first = post_purchase_invitations_run(today=today)
    with django_capture_on_commit_callbacks(execute=True):
        second = post_purchase_invitations_run(today=today)

    assert len(first) == 1 and second == []
    assert len(mailoutbox) == 1


def test_refunds_and_inactive_rules_invite_no_one(rule, customer, buy, mailoutbox):
    PostPurchaseRule.objects.create(category="", days_after=7, survey=rule.survey, active=False)
    buy(customer(), at_local_day(dt.date(2026, 6, 3)), amount="-10.00", category="服装")

    runs = post_purchase_invitations_run(today=dt.date(2026, 6, 10))

    assert [(r.rule_id, r.customers, r.distribution_id) for r in runs] == [(rule.pk, 0, None)]
    assert mailoutbox == []


def test_order_days_missed_while_beat_was_down_are_caught_up(
    rule, customer, buy, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_purchase_invitations_run(today=dt.date(2026, 6, 10))  # order day 06-03
    buy(customer(email="a@example.cn"), at_local_day(dt.date(2026, 6, 4)), category="服装")
    buy(customer(email="b@example.cn"), at_local_day(dt.date(2026, 6, 5)), category="服装")

    with django_capture_on_commit_callbacks(execute=True):
        runs = post_purchase_invitations_run(today=dt.date(2026, 6, 12))  # 06-11 was missed

    assert [r.day for r in runs] == [dt.date(2026, 6, 4), dt.date(2026, 6, 5)]
    assert sorted(m.to[0] for m in mailoutbox) == ["a@example.cn", "b@example.cn"]


def test_catch_up_is_bounded_to_three_order_days(rule):
    post_purchase_invitations_run(today=dt.date(2026, 6, 1))

    runs = post_purchase_invitations_run(today=dt.date(2026, 6, 30))

    assert [r.day for r in runs] == [
        dt.date(2026, 6, 21),
        dt.date(2026, 6, 22),
        dt.date(2026, 6, 23),
    ]
