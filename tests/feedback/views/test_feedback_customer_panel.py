"""The customer 360 page shows the customer's feedback to those who may read it."""

import pytest

from feedback.analysis.services import feedback_analyse_batch
from surveyhub.security.roles import Role
from tests.factories import CustomerFactory, FeedbackItemFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_customer_page_lists_the_customers_feedback(client):
    customer = CustomerFactory()
    item = FeedbackItemFactory(text="退款两周还没到账<b>!</b>", customer=customer)
    FeedbackItemFactory(text="别人的评价")
    feedback_analyse_batch(item_ids=[item.pk])
    client.force_login(UserFactory(role=Role.AGENT))

    body = client.get(f"/staff/customers/{customer.pk}/").content.decode()

    assert "&lt;b&gt;!&lt;/b&gt;" in body and "<b>!</b>" not in body
    assert "别人的评价" not in body
    assert f"/staff/feedback/{item.pk}/" in body
