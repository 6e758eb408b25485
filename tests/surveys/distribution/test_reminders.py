"""Reminders go to non-responders after N days, at most M times."""

from datetime import timedelta

import pytest
from django.utils import timezone

from surveys.distribution.mailing import distribution_remind
from surveys.distribution.tasks import send_due_reminders
from surveys.models import Invitation, Response, ResponseStatus
from tests.surveys.distribution.helpers import email_distribution, send_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_distribution(survey, customer, mailoutbox, django_capture_on_commit_callbacks):
    customers = [
        customer("王磊", "wang.lei@example.cn"),
        customer("李静", "li.jing@example.cn"),
    ]
    distribution = email_distribution(survey, customers, reminder_after_days=3, max_reminders=2)
    send_now(distribution, django_capture_on_commit_callbacks)
    mailoutbox.clear()
    return distribution


def days_pass(distribution, days):
    """Move every contact of the distribution `days` into the past."""
    for invitation in distribution.invitations.all():
        invitation.sent_at -= timedelta(days=days)
        if invitation.last_reminded_at:
            invitation.last_reminded_at -= timedelta(days=days)
        invitation.save()


def test_no_reminder_is_sent_before_the_days_have_passed(sent_distribution, mailoutbox):
    days_pass(sent_distribution, 2)

    distribution_remind(distribution=sent_distribution)

    assert mailoutbox == []


def test_non_responders_are_reminded_after_the_days_and_at_most_m_times(
    sent_distribution, mailoutbox
):
    for _round in range(4):
        days_pass(sent_distribution, 3)
        distribution_remind(distribution=sent_distribution)

    assert len(mailoutbox) == 4  # 2 customers × at most 2 reminders
    assert set(sent_distribution.invitations.values_list("reminders_sent", flat=True)) == {2}


def test_customers_who_completed_or_unsubscribed_are_not_reminded(sent_distribution, mailoutbox):
    wang = sent_distribution.invitations.get(customer__name="王磊")
    Response.objects.create(
        survey=sent_distribution.survey, version=sent_distribution.survey.current_version,
        customer=wang.customer, invitation=wang, channel="email",
        status=ResponseStatus.COMPLETED, completed_at=timezone.now(),
    )  # fmt: skip
    li = sent_distribution.invitations.get(customer__name="李静").customer
    li.unsubscribed = True
    li.save()
    days_pass(sent_distribution, 4)

    distribution_remind(distribution=sent_distribution)

    assert mailoutbox == []


def test_a_customer_who_started_but_did_not_finish_is_reminded(sent_distribution, mailoutbox):
    wang = sent_distribution.invitations.get(customer__name="王磊")
    Response.objects.create(
        survey=sent_distribution.survey, version=sent_distribution.survey.current_version,
        customer=wang.customer, invitation=wang, channel="email",
    )  # fmt: skip
    days_pass(sent_distribution, 3)

    distribution_remind(distribution=sent_distribution)

    assert sorted(m.to[0] for m in mailoutbox) == ["li.jing@example.cn", "wang.lei@example.cn"]


def test_the_hourly_task_sends_the_due_reminders(sent_distribution, mailoutbox):
    days_pass(sent_distribution, 3)

    due = send_due_reminders.apply().get()

    assert due == [sent_distribution.pk]
    assert len(mailoutbox) == 2
    assert Invitation.objects.filter(reminders_sent=1).count() == 2


def test_a_distribution_without_reminders_sends_none(
    survey, customer, mailoutbox, django_capture_on_commit_callbacks
):
    distribution = email_distribution(survey, [customer("何平", "he.ping@example.cn")])
    send_now(distribution, django_capture_on_commit_callbacks)
    days_pass(distribution, 30)

    assert send_due_reminders.apply().get() == []
    assert len(mailoutbox) == 1
