"""The sweeper re-queues invitations left pending (broker down, worker died)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from surveys.distribution.invitations import distribution_send
from surveys.distribution.tasks import sweep_stuck_invitations
from surveys.models import Distribution, DistributionStatus
from tests.factories import CustomerFactory
from tests.surveys.distribution.helpers import email_distribution

pytestmark = pytest.mark.django_db


def queued_minutes_ago(distribution, minutes):
    Distribution.objects.filter(pk=distribution.pk).update(
        queued_at=timezone.now() - timedelta(minutes=minutes)
    )


def test_pending_invitations_left_for_over_10_minutes_are_sent_by_the_sweeper(
    survey, mailoutbox, django_capture_on_commit_callbacks
):
    distribution = email_distribution(survey, CustomerFactory.create_batch(3))
    distribution_send(distribution=distribution)  # the on-commit enqueue never happened
    queued_minutes_ago(distribution, 11)

    with django_capture_on_commit_callbacks(execute=True):
        requeued = sweep_stuck_invitations.apply().get()

    distribution.refresh_from_db()
    assert requeued == [distribution.pk]
    assert len(mailoutbox) == 3
    assert distribution.status == DistributionStatus.SENT


def test_a_distribution_queued_recently_is_left_alone(survey, mailoutbox):
    distribution = email_distribution(survey, CustomerFactory.create_batch(2))
    distribution_send(distribution=distribution)
    queued_minutes_ago(distribution, 3)

    assert sweep_stuck_invitations.apply().get() == []
    assert mailoutbox == []


def test_a_sending_distribution_with_nothing_pending_is_marked_sent(survey):
    distribution = email_distribution(survey, CustomerFactory.create_batch(1))
    distribution_send(distribution=distribution)
    distribution.invitations.update(status="sent", sent_at=timezone.now())
    queued_minutes_ago(distribution, 30)

    assert sweep_stuck_invitations.apply().get() == []
    distribution.refresh_from_db()
    assert distribution.status == DistributionStatus.SENT
