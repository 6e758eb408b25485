"""Resolving with a re-survey mails the one-question CSAT "问题解决得满意吗？"; the customer's
answer is stored on the case."""

import re

import pytest
from django.test import Client

from feedback.cases.rules import ensure_case_defaults
from feedback.cases.services import case_resolve
from feedback.models.cases import ResolutionReason
from surveyhub.security.roles import Role
from surveys.models import Response
from tests.factories import CustomerFactory, UserFactory, detractor_case
from tests.surveys.distribution.smtp import SmtpServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings):
    with SmtpServer() as server:
        for name, value in server.settings().items():
            setattr(settings, name, value)
        yield server.handler


def test_the_resurvey_answer_is_stored_on_the_case(smtp, django_capture_on_commit_callbacks):
    ensure_case_defaults()
    agent = UserFactory(role=Role.AGENT)
    customer = CustomerFactory(name="张伟", email="zhang.wei@example.cn")
    case = detractor_case(customer=customer, comment="东西坏了")

    with django_capture_on_commit_callbacks(execute=True):
        case_resolve(
            case=case, reason=ResolutionReason.objects.get(name="补发"),
            outcome="recovered", by=agent, resurvey=True,
        )  # fmt: skip

    case.refresh_from_db()
    assert case.resurvey_distribution is not None
    assert case.events.filter(kind="resurvey_sent").exists()
    (email,) = smtp.to("zhang.wei@example.cn")
    text = email.get_body(preferencelist=("plain",)).get_content()
    path = re.search(r"(/i/[A-Za-z0-9_-]{43}/)", text).group(1)

    phone = Client()
    page = phone.get(path)
    assert "问题解决得满意吗？" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        phone.post(path, {"page": 0, "csat": "4", "action": "submit"})

    case.refresh_from_db()
    assert case.resurvey_score == 4
    assert case.resurvey_response.invitation.customer == customer
    assert case.events.filter(kind="resurvey_answered").get().after == {"csat": 4}
    # The re-survey answer itself opens no new case, not even through the sweeper.
    from feedback.cases.opening import cases_sweep_missed_responses

    Response.objects.filter(pk=case.resurvey_response_id).update(csat_score=1)
    cases_sweep_missed_responses(since=case.created_at)
    assert customer.cases.count() == 1


def test_without_resurvey_nothing_is_sent(smtp):
    ensure_case_defaults()
    case = detractor_case(customer=CustomerFactory(email="no.resurvey@example.cn"))
    case_resolve(
        case=case, reason=ResolutionReason.objects.first(), outcome="recovered",
        by=UserFactory(role=Role.AGENT),
    )  # fmt: skip
    case.refresh_from_db()
    assert case.resurvey_distribution is None
    assert smtp.messages == []


def test_a_customer_surveyed_recently_still_gets_the_resurvey_of_their_own_case(
    smtp, django_capture_on_commit_callbacks
):
    """The re-survey follows up a contact the customer started: the marketing cap is waived."""
    from datetime import timedelta

    from django.utils import timezone

    from surveys.distribution.invitations import distribution_create
    from surveys.models import Invitation, InvitationStatus
    from tests.factories import published_survey

    ensure_case_defaults()
    customer = CustomerFactory(email="recent@example.cn")
    earlier = distribution_create(
        survey=published_survey(), channel="email", audience={"customer_ids": [customer.pk]}
    )
    Invitation.objects.create(
        distribution=earlier, customer=customer, token_seed="s", token_hash="h",
        status=InvitationStatus.SENT, sent_at=timezone.now() - timedelta(days=3),
    )  # fmt: skip
    case = detractor_case(customer=customer)
    with django_capture_on_commit_callbacks(execute=True):
        case_resolve(
            case=case, reason=ResolutionReason.objects.first(), outcome="recovered",
            by=UserFactory(role=Role.AGENT), resurvey=True,
        )  # fmt: skip
    assert not case.events.filter(kind="resurvey_skipped").exists()
    assert [m["To"] for m in smtp.messages] == ["recent@example.cn"]


def test_an_unsubscribed_customer_gets_no_resurvey_and_the_case_says_why(
    smtp, django_capture_on_commit_callbacks
):
    ensure_case_defaults()
    customer = CustomerFactory(email="gone@example.cn", unsubscribed=True)
    case = detractor_case(customer=customer)
    with django_capture_on_commit_callbacks(execute=True):
        case_resolve(
            case=case, reason=ResolutionReason.objects.first(), outcome="recovered",
            by=UserFactory(role=Role.AGENT), resurvey=True,
        )  # fmt: skip
    assert case.events.get(kind="resurvey_skipped").after == {"why": "unsubscribed"}
    assert smtp.messages == []
