"""A real SMTP server on loopback that refuses for a while (421 on MAIL, 451 on DATA), then
accepts; a real worker sends. Invitations and case replies are retried until delivered, and
nobody receives anything twice; a permanent 550 bounces at once, without retrying."""

import os
import socket
from collections import Counter
from dataclasses import dataclass, field

import pytest
from django.db import transaction

from feedback.cases.contact import case_reply
from feedback.models.cases import CaseReply, CaseReplyStatus
from surveyhub.security.roles import Role
from surveys.distribution.invitations import distribution_create, distribution_send
from surveys.models import InvitationStatus
from tests.factories import CustomerFactory, UserFactory, detractor_case, published_survey
from tests.support import (
    PrivateRedis,
    celery_worker_process,
    require_program,
    reset_producer_pools,
    wait_until,
)
from tests.surveys.distribution.smtp import RecordingHandler, SmtpServer

pytestmark = [pytest.mark.services, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@dataclass
class RefusingHandler(RecordingHandler):
    """Refuses the next `refuse_mail` MAIL commands with 421 (smtplib then drops the
    connection) and the next `refuse_data` messages with 451, whoever they are for."""

    refuse_mail: int = 0
    refuse_data: int = 0
    refusals: list[str] = field(default_factory=list)

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.refuse_mail > 0:
            self.refuse_mail -= 1
            self.refusals.append("421")
            return "421 4.3.2 System busy, try again later"
        envelope.mail_from = address
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_data > 0:
            self.refuse_data -= 1
            self.refusals.append("451")
            return "451 4.3.0 Temporary local problem, try again later"
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture(scope="module")
def smtp_worker(django_db_setup, tmp_path_factory):
    """One SMTP server, private broker and `email` worker for the module (they start slowly);
    each test gets the handler emptied and sends through the broker."""
    require_program("redis-server", package="redis-server")
    server = SmtpServer()
    server.handler = server.controller.handler = RefusingHandler()
    env = {
        "SURVEYHUB_SITE_URL": "http://testserver",
        "SURVEYHUB_EMAIL_BATCH_SIZE": "50",
        "SURVEYHUB_EMAILS_PER_MINUTE": "6000",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(server.port),
        "EMAIL_TIMEOUT": "5",
        "SURVEYHUB_MEDIA_ROOT": str(tmp_path_factory.mktemp("media")),
    }
    with pytest.MonkeyPatch.context() as patch, PrivateRedis() as redis, server:
        patch.setenv("CELERY_BROKER_URL", redis.url)
        reset_producer_pools()
        try:
            with celery_worker_process(
                node=f"smtp-{os.getpid()}@{socket.gethostname()}", queues="email",
                env={**env, "CELERY_BROKER_URL": redis.url}, log_name="faults-smtp",
            ):  # fmt: skip
                yield server.handler
        finally:
            patch.undo()
            reset_producer_pools()


@pytest.fixture
def smtp(smtp_worker):
    from surveyhub.celery import app

    smtp_worker.messages.clear()
    smtp_worker.refusals.clear()
    smtp_worker.rejected.clear()
    previous_eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield smtp_worker
    app.conf.task_always_eager = previous_eager


def test_invitations_are_retried_until_accepted_and_none_is_sent_twice(smtp):
    smtp.refuse_mail, smtp.refuse_data = 1, 2
    smtp.rejected.add("no.such.user@example.cn")
    survey = published_survey(slug="faults-smtp", consent_text="")
    customers = [
        CustomerFactory(name=f"客户{i}", email=f"kehu{i:02d}@example.cn") for i in range(12)
    ]
    gone = CustomerFactory(name="李老师", email="no.such.user@example.cn")
    distribution = distribution_create(
        survey=survey, channel="email",
        audience={"customer_ids": [c.pk for c in [*customers, gone]]},
    )  # fmt: skip

    with transaction.atomic():
        distribution_send(distribution=distribution)

    invitations = distribution.invitations.all()
    wait_until(lambda: not invitations.filter(status=InvitationStatus.PENDING).exists(), 60)

    assert smtp.refusals == ["421", "451", "451"]  # the server did refuse, three times
    received = Counter(message["To"] for message in smtp.messages)
    assert received == {c.email: 1 for c in customers}
    sent = invitations.filter(status=InvitationStatus.SENT)
    assert sent.count() == len(customers)
    assert not sent.filter(sent_at__isnull=True).exists()
    # The refused attempts were counted on the invitations that met them: 3 retries in all.
    assert sum(sent.values_list("attempts", flat=True)) == len(customers) + 3
    bounced = invitations.get(customer=gone)
    assert (bounced.status, bounced.attempts) == (InvitationStatus.BOUNCED, 1)
    assert "550" in bounced.last_error
    distribution.refresh_from_db()
    assert distribution.status == "sent"


def test_a_case_reply_is_retried_until_accepted_and_sent_once(smtp):
    smtp.refuse_mail, smtp.refuse_data = 1, 1
    customer = CustomerFactory(name="王芳", email="wang.fang@example.cn")
    case = detractor_case(customer=customer, comment="物流太慢")
    agent = UserFactory(role=Role.AGENT)

    with transaction.atomic():
        reply = case_reply(case=case, message="王女士您好，已为您安排补发，明天送达。", by=agent)

    done = wait_until(
        lambda: (r := CaseReply.objects.get(pk=reply.pk)).status != CaseReplyStatus.PENDING and r,
        timeout=60,
    )
    assert (done.status, done.attempts) == (CaseReplyStatus.SENT, 3)
    assert smtp.refusals == ["421", "451"]
    assert len(smtp.to("wang.fang@example.cn")) == 1
    assert len(smtp.messages) == 1
