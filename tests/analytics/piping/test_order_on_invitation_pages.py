"""{order} on an invitation's pages: the order the invitation is about — the customer's
latest order (not a refund) up to when the invitation was made (issue #17, piping)."""

import datetime as dt

import pytest
from django.utils import timezone

from surveys.models import Invitation
from tests.factories import CustomerFactory, PurchaseFactory, published_survey
from tests.surveys.respond.test_invitation_flow import invite

pytestmark = pytest.mark.django_db


def test_the_invitation_page_names_the_order_it_is_about(client):
    survey = published_survey(consent_text="", intro="{name}，您的订单 {order} 已送达，请评价。")
    invitation, url = invite(survey, name="王芳")
    made = invitation.created_at
    customer = invitation.customer
    PurchaseFactory(customer=customer, order_id="DD-OLD-1", ordered_at=made - dt.timedelta(days=9))
    PurchaseFactory(customer=customer, order_id="DD-這次-2", ordered_at=made - dt.timedelta(days=2))
    PurchaseFactory(customer=customer, order_id="RF-1", ordered_at=made - dt.timedelta(days=1),
                    is_refund=True, amount="-199.00")  # fmt: skip
    PurchaseFactory(customer=customer, order_id="DD-LATER", ordered_at=made + dt.timedelta(days=1))
    html = client.get(url).content.decode()
    assert "王芳，您的订单 DD-這次-2 已送达，请评价。" in html


def test_without_orders_the_placeholder_reads_empty_and_an_attribute_wins(client):
    survey = published_survey(consent_text="", intro="订单：[{order}]")
    _, url = invite(survey, name="李雷")
    assert "订单：[]" in client.get(url).content.decode()
    _, url = invite(survey, name="韩梅梅", attributes={"order": "CRM-42"})
    PurchaseFactory(customer=Invitation.objects.latest("pk").customer, order_id="DD-9",
                    ordered_at=timezone.now() - dt.timedelta(days=1))  # fmt: skip
    assert "订单：[CRM-42]" in client.get(url).content.decode()


def test_a_public_link_pipes_no_order(client):
    survey = published_survey(consent_text="", intro="订单：[{order}]")
    PurchaseFactory(customer=CustomerFactory(), order_id="DD-1")
    assert "订单：[{order}]" in client.get(f"/s/{survey.slug}/").content.decode()
