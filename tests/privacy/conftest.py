"""A customer with something in every app: answers with free text (and the feedback items
and case made from them), a case note, an emailed case reply, purchases and an invitation."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from feedback.cases.contact import case_reply, case_reply_deliver
from feedback.cases.services import case_note_add
from feedback.models import Case, FeedbackItem
from surveyhub.security.roles import Role
from surveys.models import Customer, Invitation, Response
from tests.factories import (
    CustomerFactory,
    FeedbackItemFactory,
    PurchaseFactory,
    UserFactory,
    published_survey,
    submitted_response,
)
from tests.surveys.distribution.helpers import email_distribution, send_now

NAME, EMAIL, PHONE, EXTERNAL_ID = "王小明", "xiaoming.wang@example.cn", "+8613912345678", "VIP-0042"
COMMENT = "王小明说：快递员把包裹扔在门口，电话 13912345678 打不通"


@dataclass
class Person:
    customer: Customer
    response: Response
    case: Case
    invitation: Invitation
    other: Customer


@pytest.fixture
def agent():
    return UserFactory(role=Role.AGENT)


@pytest.fixture
def person(agent, mailoutbox, django_capture_on_commit_callbacks) -> Person:
    """The person, plus another customer whose data must survive the person's erasure."""
    survey = published_survey()
    customer = CustomerFactory(name=NAME, email=EMAIL, phone=PHONE, external_id=EXTERNAL_ID,
                               attributes={"birthday": "1990-05-01"})  # fmt: skip
    other = CustomerFactory(name="李四", email="li.si@example.cn")
    distribution = send_now(
        email_distribution(survey, [customer, other]), django_capture_on_commit_callbacks
    )
    invitation = distribution.invitations.get(customer=customer)
    with django_capture_on_commit_callbacks(execute=True):
        response = submitted_response(
            survey=survey, data={"nps": 3, "comment": COMMENT}, customer=customer
        )
        Response.objects.filter(pk=response.pk).update(invitation=invitation)
        submitted_response(survey=survey, data={"nps": 10, "comment": "很好"}, customer=other)
    FeedbackItemFactory(text=f"{NAME} 在天猫留言：尺码偏小", customer=customer, source="ecommerce",
                        external_ref="TM-1")  # fmt: skip
    case = Case.objects.get(response=response)
    case_note_add(case=case, text=f"已致电{NAME}，{PHONE}", by=agent)
    reply = case_reply(case=case, message=f"{NAME}您好，我们会补发。", by=agent)
    case_reply_deliver(reply_id=reply.pk)
    now = timezone.now()
    for days, amount in ((400, "120.00"), (90, "88.50"), (10, "310.00")):
        PurchaseFactory(customer=customer, ordered_at=now - timedelta(days=days),
                        amount=Decimal(amount))  # fmt: skip
    for days in (200, 30):
        PurchaseFactory(customer=other, ordered_at=now - timedelta(days=days), amount="50.00")
    assert FeedbackItem.objects.filter(response=response).exists()
    return Person(customer=customer, response=response, case=case, invitation=invitation,
                  other=other)  # fmt: skip
