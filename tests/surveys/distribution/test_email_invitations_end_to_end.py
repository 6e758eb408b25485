"""End to end on the production path: PostgreSQL, Redis, a real Celery worker and a real
SMTP server on loopback. 50 customers get their invitation; one opens the link from the
email and answers; the counts move. The unsubscribed customer and one surveyed 10 days
ago by another survey get nothing."""

import os
import re
import socket
import time

import pytest
from django.db import transaction
from django.test import Client

from surveys.distribution.invitations import distribution_create, distribution_send
from surveys.distribution.queries import distribution_counts
from surveys.models import CustomerTag, Response, ResponseStatus
from tests.conftest import services_unavailable
from tests.factories import CustomerFactory, published_survey
from tests.support import celery_worker_process, unavailable, wait_until
from tests.surveys.distribution.helpers import invited_before
from tests.surveys.distribution.smtp import SmtpServer

pytestmark = [pytest.mark.services, pytest.mark.slow]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋"
    "唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军"]


@pytest.fixture(scope="module")
def smtp_worker(django_db_setup, django_db_blocker):
    """A real SMTP server, and a worker of the `email` queue whose Django sends to it.

    The session-wide worker (if running) is told to stop consuming `email` meanwhile, so
    every invitation goes through this one.
    """
    if services_unavailable():
        unavailable(services_unavailable())
    from surveyhub.celery import app

    server = SmtpServer().__enter__()
    env = {
        "SURVEYHUB_SITE_URL": "http://testserver",
        "SURVEYHUB_EMAIL_BATCH_SIZE": "20",
        "SURVEYHUB_EMAILS_PER_MINUTE": "6000",
        **{k: str(v) for k, v in server.settings().items() if k != "EMAIL_USE_SSL"},
        "EMAIL_USE_TLS": "0",
    }
    others = [name for reply in app.control.ping(timeout=1) for name in reply]
    if others:
        app.control.cancel_consumer("email", destination=others, reply=True)
    try:
        with celery_worker_process(
            node=f"e2e-smtp-{os.getpid()}@{socket.gethostname()}", queues="email", env=env,
            log_name="celery-worker-smtp",
        ):  # fmt: skip
            yield server.handler
    finally:
        server.__exit__()
        if others:
            app.control.add_consumer("email", destination=others, reply=True)


@pytest.fixture
def through_the_broker():
    """Enqueued tasks go to the broker (the worker runs them), not in-process."""
    from surveyhub.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = previous


def link_in(message) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"http://testserver(/i/[A-Za-z0-9_-]{43}/)", text).group(1)


@pytest.mark.django_db(transaction=True)
def test_fifty_customers_get_their_invitation_answer_and_the_counts_move(
    smtp_worker, through_the_broker
):
    survey = published_survey(consent_text="")
    tag = CustomerTag.objects.create(name="三月回访")
    customers = [
        CustomerFactory(
            name=f"{SURNAMES[i]}{GIVEN[i % len(GIVEN)]}",
            email=f"kehu{i:02d}@example.cn",
        )
        for i in range(50)
    ]
    unsubscribed = CustomerFactory(name="沈静", email="shen.jing@example.cn", unsubscribed=True)
    recently_surveyed = CustomerFactory(name="韩梅梅", email="han.meimei@example.cn")
    invited_before(recently_surveyed, days=10)
    for person in [*customers, unsubscribed, recently_surveyed]:
        person.tags.add(tag)
    distribution = distribution_create(
        survey=survey, channel="email", audience={"tags": ["三月回访"]}, name="三月回访"
    )

    with transaction.atomic():
        distribution_send(distribution=distribution)

    wait_until(lambda: len(smtp_worker.messages) >= 50, timeout=90)
    time.sleep(0.5)  # nothing more should arrive
    received = sorted(m["To"] for m in smtp_worker.messages)
    assert received == sorted(c.email for c in customers)
    assert smtp_worker.to("shen.jing@example.cn") == []
    assert smtp_worker.to("han.meimei@example.cn") == []
    counts = wait_until(
        lambda: (c := distribution_counts(distribution))["delivered"] == 50 and c, timeout=30
    )
    assert counts["skipped_unsubscribed"] == 1
    assert counts["skipped_frequency_cap"] == 1
    assert (counts["opened"], counts["started"], counts["completed"]) == (0, 0, 0)

    (email,) = smtp_worker.to("kehu07@example.cn")
    path = link_in(email)
    phone = Client()
    assert phone.get(path).status_code == 200
    phone.post(path, {"page": 0, "nps": "3", "action": "next"})
    phone.post(path, {"page": 1, "reason": "delivery", "comment": "物流太慢", "action": "submit"})

    response = Response.objects.get(invitation__customer__email="kehu07@example.cn")
    assert response.status == ResponseStatus.COMPLETED
    assert response.nps_score == 3
    counts = distribution_counts(distribution)
    assert (counts["opened"], counts["started"], counts["completed"]) == (1, 1, 1)
    assert counts["sent"] == counts["invited"] == 50
