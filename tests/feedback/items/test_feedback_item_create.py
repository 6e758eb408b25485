"""Items from other channels: customer matching, idempotent external references, bad text."""

import pytest

from feedback.analysis.items import CustomerRef, feedback_item_create
from feedback.errors import FeedbackError
from feedback.models import FeedbackItem
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_the_customer_is_matched_by_external_id_then_phone_then_email():
    by_id = CustomerFactory(external_id="VIP-1")
    by_phone = CustomerFactory(phone="+8613800138000")
    by_email = CustomerFactory(email="li@example.cn")

    first, _ = feedback_item_create(text="好评", customer_ref=CustomerRef(external_id="VIP-1"))
    second, _ = feedback_item_create(text="好评", customer_ref=CustomerRef(phone="138 0013 8000"))
    third, _ = feedback_item_create(text="好评", customer_ref=CustomerRef(email="LI@example.cn"))
    nobody, _ = feedback_item_create(text="好评", customer_ref=CustomerRef(email="x@y.cn"))

    assert (first.customer, second.customer, third.customer) == (by_id, by_phone, by_email)
    assert nobody.customer is None


def test_the_same_external_reference_twice_returns_the_first_item():
    first, created = feedback_item_create(
        text="发货很快", source="ecommerce", external_ref="TB-1001"
    )
    again, created_again = feedback_item_create(
        text="发货很快", source="ecommerce", external_ref="TB-1001"
    )
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert FeedbackItem.objects.count() == 1


@pytest.mark.parametrize("text", ["", "   \n\t", "x" * 20_001, None])
def test_text_that_cannot_be_kept_is_refused_with_a_reason(text):
    with pytest.raises(FeedbackError) as error:
        feedback_item_create(text=text)
    assert error.value.field == "text"
    assert not FeedbackItem.objects.exists()


def test_nul_characters_are_removed_before_storing():
    item, _ = feedback_item_create(text="物流\x00很快")
    assert item.text == "物流很快"
