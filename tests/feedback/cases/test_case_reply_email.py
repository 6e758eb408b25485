"""Replying from a case emails the customer through a real SMTP server on loopback, in the
customer's language; internal notes never appear in it; the first reply sets first response."""

import pytest
from django.utils import translation

from feedback.cases.contact import case_reply
from feedback.cases.services import CaseError, case_note_add
from feedback.models.cases import CaseReply, CaseReplyStatus, CaseStatus
from surveyhub.security.roles import Role
from tests.factories import CustomerFactory, UserFactory, detractor_case
from tests.surveys.distribution.smtp import SmtpServer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (msgids), whatever the catalogue holds."""
    with translation.override("en"):
        yield


SECRET_NOTE = "内部备注：该客户曾多次要求赔偿，勿承诺退款"


@pytest.fixture
def smtp(settings):
    with SmtpServer() as server:
        for name, value in server.settings().items():
            setattr(settings, name, value)
        yield server.handler


@pytest.fixture
def agent():
    return UserFactory(role=Role.AGENT)


def body_of(message, kind: str) -> str:
    return message.get_body(preferencelist=(kind,)).get_content()


def test_reply_reaches_the_customer_in_chinese_without_internal_notes(
    smtp, agent, django_capture_on_commit_callbacks
):
    customer = CustomerFactory(name="王芳", email="wang.fang@example.cn", language="zh-hans")
    case = detractor_case(customer=customer, comment="物流太慢")
    case_note_add(case=case, text=SECRET_NOTE, by=agent)
    with django_capture_on_commit_callbacks(execute=True):
        reply = case_reply(case=case, message="王女士您好，已为您安排补发，明天送达。", by=agent)

    (message,) = smtp.to("wang.fang@example.cn")
    assert message["Subject"] == reply.subject
    assert f"#{case.pk}" in message["Subject"]
    assert message["X-SurveyHub-Case"] == str(case.pk)
    text, html = body_of(message, "plain"), body_of(message, "html")
    for body in (text, html):
        assert "王芳" in body
        assert "已为您安排补发" in body
        assert SECRET_NOTE not in body
        assert "勿承诺退款" not in body
    reply.refresh_from_db()
    assert reply.status == CaseReplyStatus.SENT
    case.refresh_from_db()
    assert case.first_response_at == reply.created_at
    assert (case.status, case.assignee) == (CaseStatus.IN_PROGRESS, agent)
    assert {"reply_queued", "first_response", "reply_sent"} <= set(
        case.events.values_list("kind", flat=True)
    )


def test_an_english_customer_gets_the_english_template(
    smtp, agent, django_capture_on_commit_callbacks
):
    customer = CustomerFactory(name="Emma Li", email="emma@example.com", language="en")
    case = detractor_case(customer=customer)
    with django_capture_on_commit_callbacks(execute=True):
        case_reply(case=case, message="We are sending a replacement today.", by=agent)
    (message,) = smtp.to("emma@example.com")
    assert "About your feedback" in message["Subject"]
    assert "Dear Emma Li" in body_of(message, "plain")


def test_html_in_the_reply_is_escaped(smtp, agent, django_capture_on_commit_callbacks):
    case = detractor_case(customer=CustomerFactory(email="x@example.cn"))
    with django_capture_on_commit_callbacks(execute=True):
        case_reply(case=case, message="<script>alert(1)</script>", by=agent)
    (message,) = smtp.to("x@example.cn")
    assert "<script>" not in body_of(message, "html")
    assert "&lt;script&gt;" in body_of(message, "html")


def test_a_second_reply_keeps_the_first_response_time(
    smtp, agent, django_capture_on_commit_callbacks
):
    case = detractor_case(customer=CustomerFactory(email="li@example.cn"))
    with django_capture_on_commit_callbacks(execute=True):
        first = case_reply(case=case, message="第一次回复", by=agent)
    with django_capture_on_commit_callbacks(execute=True):
        case_reply(case=case, message="第二次回复", by=agent)
    case.refresh_from_db()
    assert case.first_response_at == first.created_at
    assert len(smtp.to("li@example.cn")) == 2


def test_delivering_a_reply_twice_sends_one_email(smtp, agent, django_capture_on_commit_callbacks):
    from feedback.cases.contact import case_reply_deliver

    case = detractor_case(customer=CustomerFactory(email="once@example.cn"))
    with django_capture_on_commit_callbacks(execute=True):
        reply = case_reply(case=case, message="您好", by=agent)
    assert case_reply_deliver(reply_id=reply.pk) == "not_due"
    assert len(smtp.to("once@example.cn")) == 1


def test_a_customer_without_email_cannot_be_replied_to(agent):
    case = detractor_case(customer=CustomerFactory(email=""))
    with pytest.raises(CaseError, match="no email address"):
        case_reply(case=case, message="您好", by=agent)
    assert not CaseReply.objects.exists()


def test_a_rejected_address_marks_the_reply_failed_on_the_case(
    smtp, agent, django_capture_on_commit_callbacks
):
    smtp.rejected.add("gone@example.cn")
    case = detractor_case(customer=CustomerFactory(email="gone@example.cn"))
    with django_capture_on_commit_callbacks(execute=True):
        reply = case_reply(case=case, message="您好", by=agent)
    reply.refresh_from_db()
    assert reply.status == CaseReplyStatus.FAILED
    assert "550" in reply.last_error
    assert case.events.filter(kind="reply_failed").exists()
