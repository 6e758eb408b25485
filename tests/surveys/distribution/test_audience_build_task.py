"""The audience is built by a task: building → ready / scheduled / sending → sent, the
schedule started by the beat task when due, cancelling at every stage, and the sweeper."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from surveys.distribution.building import distribution_build, distribution_queue_build
from surveys.distribution.invitations import DistributionError, distribution_cancel
from surveys.distribution.scheduling import distributions_sweep
from surveys.distribution.tasks import build_distribution_audience, send_due_distributions
from surveys.models import Distribution, DistributionStatus, InvitationStatus
from tests.factories import CustomerFactory
from tests.surveys.distribution.helpers import email_distribution, invited_before

pytestmark = pytest.mark.django_db


def test_the_request_only_queues_the_build_and_the_task_makes_it_ready(
    survey, django_capture_on_commit_callbacks
):
    distribution = email_distribution(survey, CustomerFactory.create_batch(3))

    with django_capture_on_commit_callbacks() as queued:
        distribution = distribution_queue_build(distribution=distribution, send=False)
    assert distribution.status == DistributionStatus.BUILDING
    assert distribution.invitations.count() == 0
    assert len(queued) == 1

    assert build_distribution_audience.apply(args=(distribution.pk,)).get() == "ready"
    distribution.refresh_from_db()
    assert distribution.status == DistributionStatus.READY
    assert distribution.audience_built_at is not None
    assert distribution.invitations.filter(status=InvitationStatus.PENDING).count() == 3


def test_sending_a_ready_distribution_rebuilds_adds_newcomers_and_sends(
    survey, mailoutbox, django_capture_on_commit_callbacks
):
    distribution = Distribution.objects.create(
        survey=survey, channel="email", audience={"region": ["杭州"]},
        status=DistributionStatus.BUILDING,
    )  # fmt: skip
    CustomerFactory(name="钱塘", region="杭州", email="qian@example.cn")
    distribution_build(distribution_id=distribution.pk)
    CustomerFactory(name="西湖", region="杭州", email="xihu@example.cn")  # joins afterwards

    with django_capture_on_commit_callbacks(execute=True):
        distribution_queue_build(distribution=distribution, send=True)

    distribution.refresh_from_db()
    assert distribution.status == DistributionStatus.SENT
    assert sorted(m.to[0] for m in mailoutbox) == ["qian@example.cn", "xihu@example.cn"]


def test_a_customer_contacted_by_another_survey_between_build_and_send_is_skipped(
    survey, mailoutbox, django_capture_on_commit_callbacks
):
    wang = CustomerFactory(name="王芳", email="wang@example.cn")
    distribution = email_distribution(survey, [wang])
    distribution_queue_build(distribution=distribution, send=False)
    distribution_build(distribution_id=distribution.pk)
    invited_before(wang, days=1)  # another survey's invitation, mailed meanwhile

    with django_capture_on_commit_callbacks(execute=True):
        distribution_queue_build(distribution=distribution, send=True)

    invitation = distribution.invitations.get()
    assert (invitation.status, invitation.skip_reason) == ("skipped", "frequency_cap")
    assert mailoutbox == []


def test_a_schedule_is_built_now_and_sent_by_the_beat_task_when_due(
    survey, mailoutbox, django_capture_on_commit_callbacks
):
    distribution = email_distribution(
        survey, CustomerFactory.create_batch(2), send_at=timezone.now() + timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        distribution_queue_build(distribution=distribution, send=True)
        send_due_distributions.apply()
    distribution.refresh_from_db()
    assert distribution.status == DistributionStatus.SCHEDULED
    assert distribution.invitations.count() == 2 and mailoutbox == []

    Distribution.objects.filter(pk=distribution.pk).update(
        send_at=timezone.now() - timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_distributions.apply().get() == [distribution.pk]

    distribution.refresh_from_db()
    assert distribution.status == DistributionStatus.SENT
    assert len(mailoutbox) == 2


def test_a_schedule_in_the_past_is_refused_in_chinese_and_nothing_is_created(survey):
    past = timezone.now() - timedelta(minutes=5)

    with pytest.raises(DistributionError) as error, translation.override("zh-hans"):
        email_distribution(survey, CustomerFactory.create_batch(1), send_at=past)

    assert "已经过去" in error.value.errors["send_at"][0]
    assert not Distribution.objects.exists()


@pytest.mark.parametrize("status", ["building", "ready", "scheduled", "draft"])
def test_cancelling_before_sending_leaves_nothing_to_send(
    survey, mailoutbox, status, django_capture_on_commit_callbacks
):
    distribution = email_distribution(survey, CustomerFactory.create_batch(2))
    if status != "draft":
        distribution_queue_build(distribution=distribution, send=status == "scheduled")
    if status in ("ready", "scheduled"):
        Distribution.objects.filter(pk=distribution.pk).update(
            send_at=timezone.now() + timedelta(hours=1)
        )
        distribution_build(distribution_id=distribution.pk)
    distribution.refresh_from_db()
    assert distribution.status == status

    with django_capture_on_commit_callbacks(execute=True):
        distribution_cancel(distribution=distribution, reason="活动取消了")
        build_distribution_audience.apply(args=(distribution.pk,))
        send_due_distributions.apply()

    distribution.refresh_from_db()
    assert distribution.status == DistributionStatus.CANCELLED
    assert distribution.status_note == "活动取消了"
    assert not distribution.invitations.filter(status=InvitationStatus.PENDING).exists()
    assert mailoutbox == []


def test_cancelling_a_finished_distribution_is_refused_in_chinese_and_changes_nothing(
    survey, django_capture_on_commit_callbacks
):
    distribution = email_distribution(survey, CustomerFactory.create_batch(1))
    with django_capture_on_commit_callbacks(execute=True):
        distribution_queue_build(distribution=distribution, send=True)
    distribution.refresh_from_db()
    assert distribution.status == DistributionStatus.SENT

    with pytest.raises(DistributionError) as error, translation.override("zh-hans"):
        distribution_cancel(distribution=distribution)

    assert error.value.message == "该分发已全部发送完毕，没有可取消的内容。"
    distribution.refresh_from_db()
    assert (distribution.status, distribution.status_note) == ("sent", "")
    assert distribution.invitations.get().status == InvitationStatus.SENT


def test_a_build_whose_survey_closed_meanwhile_is_cancelled_with_the_reason(survey):
    from surveys.design.services import survey_close

    distribution = email_distribution(survey, CustomerFactory.create_batch(1))
    distribution_queue_build(distribution=distribution, send=True)
    survey_close(survey=survey)

    with translation.override("en"):
        assert distribution_build(distribution_id=distribution.pk) == "cancelled"

    distribution.refresh_from_db()
    assert "closed" in distribution.status_note
    assert not distribution.invitations.exists()


def test_the_sweeper_requeues_a_build_left_behind(survey, django_capture_on_commit_callbacks):
    distribution = email_distribution(survey, CustomerFactory.create_batch(2))
    distribution_queue_build(distribution=distribution, send=False)  # the message was lost
    Distribution.objects.filter(pk=distribution.pk).update(
        queued_at=timezone.now() - timedelta(minutes=11)
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert distributions_sweep() == [distribution.pk]

    distribution.refresh_from_db()
    assert distribution.status == DistributionStatus.READY
    assert distribution.invitations.count() == 2
