"""A real SMTP server on loopback: permanent rejects bounce, temporary failures are retried."""

import pytest

from surveys.distribution.invitations import distribution_send
from surveys.distribution.mailing import EmailTemporarilyFailed, distribution_send_batch
from surveys.distribution.queries import distribution_counts
from surveys.distribution.tasks import send_distribution_batch
from surveys.models import InvitationStatus
from tests.surveys.distribution.helpers import email_distribution
from tests.surveys.distribution.smtp import free_port

pytestmark = pytest.mark.django_db


def test_a_recipient_rejected_with_550_is_marked_bounced_and_the_others_are_delivered(
    survey, customer, smtp_server
):
    good = customer("王小明", "wang.xiaoming@example.cn")
    gone = customer("李老师", "no.such.user@example.cn")
    smtp_server.rejected.add("no.such.user@example.cn")
    distribution = email_distribution(survey, [good, gone])
    distribution_send(distribution=distribution)

    send_distribution_batch.apply(args=(distribution.pk,))

    assert [m["To"] for m in smtp_server.messages] == ["wang.xiaoming@example.cn"]
    bounced = distribution.invitations.get(customer=gone)
    assert bounced.status == InvitationStatus.BOUNCED
    assert bounced.bounced_at is not None
    assert "550" in bounced.last_error
    counts = distribution_counts(distribution)
    assert (counts["sent"], counts["delivered"], counts["bounced"]) == (2, 1, 1)


def test_a_temporary_451_is_retried_and_then_delivered(
    survey, customer, smtp_server, eager_retries
):
    busy = customer("赵敏", "zhao.min@example.cn")
    smtp_server.busy["zhao.min@example.cn"] = 2
    distribution = email_distribution(survey, [busy])
    distribution_send(distribution=distribution)

    send_distribution_batch.apply(args=(distribution.pk,))  # eager: retries run at once

    invitation = distribution.invitations.get()
    assert invitation.status == InvitationStatus.SENT
    assert invitation.attempts == 3
    assert len(smtp_server.to("zhao.min@example.cn")) == 1


def test_a_temporary_failure_records_the_attempt_and_asks_for_a_retry(
    survey, customer, smtp_server
):
    smtp_server.busy["sun.yue@example.cn"] = 1
    distribution = email_distribution(survey, [customer("孙悦", "sun.yue@example.cn")])
    distribution_send(distribution=distribution)

    with pytest.raises(EmailTemporarilyFailed, match="451"):
        distribution_send_batch(distribution=distribution, limit=10)

    invitation = distribution.invitations.get()
    assert (invitation.status, invitation.attempts) == (InvitationStatus.PENDING, 1)
    assert "451" in invitation.last_error


def test_an_unreachable_server_leaves_the_invitation_pending_for_a_retry(
    survey, customer, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    distribution = email_distribution(survey, [customer("钱程", "qian.cheng@example.cn")])
    distribution_send(distribution=distribution)

    with pytest.raises(EmailTemporarilyFailed, match="Connection"):
        distribution_send_batch(distribution=distribution, limit=10)

    assert distribution.invitations.get().status == InvitationStatus.PENDING


def test_after_the_maximum_attempts_an_invitation_is_marked_failed_and_the_rest_go_out(
    survey, customer, smtp_server, settings, eager_retries
):
    settings.SURVEYHUB_EMAIL_MAX_ATTEMPTS = 2
    smtp_server.busy["always.busy@example.cn"] = 99
    stuck = customer("周到", "always.busy@example.cn")
    fine = customer("吴凡", "wu.fan@example.cn")
    distribution = email_distribution(survey, [stuck, fine])
    distribution_send(distribution=distribution)

    send_distribution_batch.apply(args=(distribution.pk,))

    assert distribution.invitations.get(customer=stuck).status == InvitationStatus.FAILED
    assert distribution.invitations.get(customer=fine).status == InvitationStatus.SENT
    assert distribution_counts(distribution)["failed"] == 1
