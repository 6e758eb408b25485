"""The analysis task hands negative feedback to the case rules (sentiment rule)."""

import pytest

from feedback.analysis.tasks import analyse_batch
from feedback.models import Case, FeedbackItem
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_a_very_negative_comment_opens_a_case_once_analysed():
    from feedback.analysis.items import feedback_item_create

    customer = CustomerFactory(name="周杰")
    item, _ = feedback_item_create(
        text="太差了，客服态度恶劣，再也不会买了，垃圾！", source="ecommerce", customer=customer
    )
    analyse_batch([item.pk])
    item = FeedbackItem.objects.get(pk=item.pk)
    assert item.sentiment_label == "negative"
    case = Case.objects.get(customer=customer)
    assert case.status == "new"
    analyse_batch([item.pk])
    assert Case.objects.filter(customer=customer).count() == 1


def test_a_happy_comment_opens_no_case():
    from feedback.analysis.items import feedback_item_create

    customer = CustomerFactory(name="林琳")
    item, _ = feedback_item_create(text="物流很快，包装很好，非常满意👍", source="ecommerce",
                                customer=customer)  # fmt: skip
    analyse_batch([item.pk])
    assert not Case.objects.filter(customer=customer).exists()
