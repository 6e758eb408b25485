"""Delivery reports that no callback brought, asked of each provider's query API (Aliyun
QuerySendDetails, Tencent PullSmsSendStatus) by the beat task, against the local fake of
each provider, which verifies every request's signature."""

from datetime import timedelta

import pytest
from django.utils import timezone

from surveyhub.celery import app
from surveyhub.tasking.scheduler import jobs_from_beat_schedule
from surveys.channels.sms.receipt_polling import POLL_DAYS
from surveys.channels.sms.tasks import poll_sms_receipts
from surveys.distribution.invitations import distribution_create, distribution_send
from surveys.distribution.tasks import send_distribution_batch
from surveys.models import Invitation, InvitationStatus, SmsDelivery

pytestmark = pytest.mark.django_db


def _texted(survey, customers, *, minutes_ago):
    distribution = distribution_create(
        survey=survey, channel="sms", audience={"customer_ids": [c.pk for c in customers]}
    )
    distribution_send(distribution=distribution)
    send_distribution_batch.apply(args=(distribution.pk,))
    Invitation.objects.filter(distribution=distribution).update(
        sent_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return {i.customer_id: i for i in Invitation.objects.filter(distribution=distribution)}


def _poll() -> int:
    return poll_sms_receipts.apply().get()


def test_sends_without_a_receipt_after_the_wait_get_theirs_from_the_query_api(
    fake_sms, survey, customer
):
    wang, li, zhao = customer("王芳", "+8613800138000"), customer("李雷", "+8613900139000"), \
        customer("趙敏", "+8613600136000")  # fmt: skip
    sent = _texted(survey, [wang, li, zhao], minutes_ago=15)
    fake_sms.report(sent[wang.pk].provider_message_id, delivered=True)
    fake_sms.report(sent[li.pk].provider_message_id, delivered=False)
    # zhao's phone has not reported yet: the provider has no final word

    assert _poll() == 2

    assert fake_sms.refused_signatures == 0
    delivered, failed, waiting = (
        Invitation.objects.get(pk=sent[c.pk].pk) for c in (wang, li, zhao)
    )
    assert (delivered.delivery, delivered.status) == (SmsDelivery.DELIVERED, InvitationStatus.SENT)
    assert delivered.delivered_at is not None
    assert (failed.delivery, failed.status) == (SmsDelivery.FAILED, InvitationStatus.BOUNCED)
    assert failed.last_error  # the provider's reason is kept
    assert (waiting.delivery, waiting.status) == (SmsDelivery.SUBMITTED, InvitationStatus.SENT)

    # Later the last phone reports; the next run records it and asks about nothing else.
    fake_sms.report(sent[zhao.pk].provider_message_id, delivered=True)
    fake_sms.queries.clear()
    assert _poll() == 1
    assert Invitation.objects.get(pk=sent[zhao.pk].pk).delivery == SmsDelivery.DELIVERED
    if fake_sms.provider == "aliyun":  # one query per message still waiting, by its BizId
        assert [q["BizId"] for q in fake_sms.queries] == [sent[zhao.pk].provider_message_id]
        assert fake_sms.queries[0]["SendDate"] == timezone.localtime(
            sent[zhao.pk].sent_at
        ).strftime("%Y%m%d")
    assert _poll() == 0


def test_recent_and_old_sends_are_not_asked_about(fake_sms, survey, customer, settings):
    settings.SURVEYHUB_SMS_RECEIPT_POLL_MINUTES = 10
    fresh = _texted(survey, [customer("王芳", "+8613800138000")], minutes_ago=3)
    stale = _texted(
        survey, [customer("李雷", "+8613900139000")], minutes_ago=(POLL_DAYS + 1) * 1440
    )
    for invitation in (*fresh.values(), *stale.values()):
        fake_sms.report(invitation.provider_message_id, delivered=True)

    assert _poll() == 0

    assert fake_sms.queries == []  # nothing was due, so the provider was not called
    assert set(Invitation.objects.values_list("delivery", flat=True)) == {SmsDelivery.SUBMITTED}


def test_a_receipt_that_came_by_callback_is_not_asked_for_again(client, fake_sms, survey, customer):
    sent = _texted(survey, [customer("王芳", "+8613800138000")], minutes_ago=30)
    [invitation] = sent.values()
    Invitation.objects.filter(pk=invitation.pk).update(
        delivery=SmsDelivery.DELIVERED, delivered_at=timezone.now()
    )

    assert _poll() == 0
    assert fake_sms.queries == []


def test_a_provider_failure_leaves_everything_for_the_next_run(fake_sms, survey, customer):
    sent = _texted(survey, [customer("王芳", "+8613800138000")], minutes_ago=30)
    [invitation] = sent.values()
    fake_sms.report(invitation.provider_message_id, delivered=True)
    fake_sms.secret = "the provider's key was rotated"  # every request now refused

    assert _poll() == 0

    assert fake_sms.refused_signatures == 1
    assert Invitation.objects.get().delivery == SmsDelivery.SUBMITTED


def test_without_sms_configured_the_task_does_nothing(survey, settings):
    settings.SURVEYHUB_SMS_PROVIDER = ""
    assert _poll() == 0


def test_the_poll_runs_every_five_minutes_in_beat_and_in_the_embedded_scheduler():
    entry = app.conf.beat_schedule["surveys-poll-sms-receipts"]
    assert entry["task"] == "surveys.poll_sms_receipts" and entry["schedule"] == 300.0
    assert "surveys.poll_sms_receipts" in {
        job.task for job in jobs_from_beat_schedule(app.conf.beat_schedule)
    }
