"""Sending is idempotent: twice creates nothing twice and mails nobody twice."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from surveys.design.services import survey_close
from surveys.distribution.invitations import (
    DistributionError,
    distribution_create,
    distribution_send,
)
from surveys.distribution.mailing import distribution_send_batch
from surveys.distribution.tasks import send_distribution_batch, send_due_distributions
from surveys.models import Distribution, DistributionStatus, Invitation, InvitationStatus
from tests.factories import CustomerFactory, SurveyFactory
from tests.surveys.distribution.helpers import email_distribution, send_now

pytestmark = pytest.mark.django_db


def test_sending_twice_creates_and_mails_nothing_twice(
    survey, mailoutbox, django_capture_on_commit_callbacks
):
    customers = CustomerFactory.create_batch(3)
    distribution = email_distribution(survey, customers)

    send_now(distribution, django_capture_on_commit_callbacks)
    again = send_now(distribution, django_capture_on_commit_callbacks)

    assert again.status == DistributionStatus.SENT
    assert Invitation.objects.filter(distribution=distribution).count() == 3
    assert sorted(m.to[0] for m in mailoutbox) == sorted(c.email for c in customers)


def test_a_batch_task_delivered_twice_mails_each_invitation_once(survey, mailoutbox):
    distribution = email_distribution(survey, CustomerFactory.create_batch(2))
    distribution_send(distribution=distribution)  # on-commit batch not run

    send_distribution_batch.apply(args=(distribution.pk,))
    send_distribution_batch.apply(args=(distribution.pk,))

    assert len(mailoutbox) == 2
    assert set(distribution.invitations.values_list("status", flat=True)) == {"sent"}


def test_invitations_go_out_in_batches_of_the_configured_size(survey, settings, mailoutbox):
    settings.SURVEYHUB_EMAIL_BATCH_SIZE = 2
    distribution = email_distribution(survey, CustomerFactory.create_batch(5))
    distribution_send(distribution=distribution)

    first = distribution_send_batch(distribution=distribution, limit=2)
    assert (len(mailoutbox), first.more) == (2, True)

    send_distribution_batch.apply(args=(distribution.pk,))  # in-process: the rest, batch by batch
    distribution.refresh_from_db()
    assert len(mailoutbox) == 5
    assert distribution.status == DistributionStatus.SENT


def test_a_draft_survey_refuses_to_send_with_a_clear_error(mailoutbox):
    draft = SurveyFactory(title="门店服务评价")
    distribution = email_distribution(draft, CustomerFactory.create_batch(1))

    with translation.override("en"), pytest.raises(DistributionError) as error:
        distribution_send(distribution=distribution)

    assert "门店服务评价" in error.value.message
    assert "publish it before sending" in error.value.message
    assert not Invitation.objects.exists()


def test_a_closed_survey_refuses_to_send(survey):
    distribution = email_distribution(survey, CustomerFactory.create_batch(1))
    survey_close(survey=survey)

    with pytest.raises(DistributionError):
        distribution_send(distribution=distribution)


def test_a_link_distribution_has_nothing_to_send(survey):
    distribution = distribution_create(survey=survey, channel="link", audience={})

    with pytest.raises(DistributionError):
        distribution_send(distribution=distribution)


def test_a_future_send_at_schedules_and_the_beat_task_sends_when_due(
    survey, mailoutbox, django_capture_on_commit_callbacks
):
    distribution = email_distribution(
        survey, CustomerFactory.create_batch(2), send_at=timezone.now() + timedelta(hours=2)
    )

    scheduled = send_now(distribution, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        send_due_distributions.apply()
    assert scheduled.status == DistributionStatus.SCHEDULED
    assert mailoutbox == [] and not Invitation.objects.exists()

    Distribution.objects.filter(pk=distribution.pk).update(
        send_at=timezone.now() - timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        send_due_distributions.apply()

    distribution.refresh_from_db()
    assert distribution.status == DistributionStatus.SENT
    assert len(mailoutbox) == 2


def test_a_scheduled_distribution_whose_survey_closed_is_cancelled_when_due(survey):
    distribution = email_distribution(
        survey, CustomerFactory.create_batch(1), send_at=timezone.now() + timedelta(minutes=5)
    )
    distribution_send(distribution=distribution)
    survey_close(survey=survey)
    Distribution.objects.filter(pk=distribution.pk).update(
        send_at=timezone.now() - timedelta(minutes=1)
    )

    send_due_distributions.apply()

    distribution.refresh_from_db()
    assert distribution.status == DistributionStatus.CANCELLED
    assert not Invitation.objects.filter(status=InvitationStatus.PENDING).exists()


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"channel": "sms"}, "channel"),
        ({"audience": {"foo": 1}}, "audience"),
        ({"max_reminders": 2}, "reminder_after_days"),
        ({"max_reminders": 9, "reminder_after_days": 3}, "max_reminders"),
        ({"reminder_after_days": 0}, "reminder_after_days"),
        ({"channel": "link", "audience": {"all": True}}, "audience"),
    ],
)
def test_a_distribution_with_bad_settings_is_refused_naming_the_field(survey, options, field):
    arguments = {"survey": survey, "channel": "email", "audience": {"all": True}, **options}

    with pytest.raises(DistributionError) as error:
        distribution_create(**arguments)

    assert list(error.value.errors) == [field]
