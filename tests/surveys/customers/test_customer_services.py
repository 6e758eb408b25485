import pytest

from surveys.customers.services import (
    CustomerError,
    customer_create,
    customer_match,
    customer_update,
)
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_customer_create_stores_the_phone_normalised_and_email_lowercase():
    customer = customer_create(
        external_id="C1", name="张三", phone="138 0013 8000", email="ZS@Example.CN",
        tags=["VIP", "新客"],
    )  # fmt: skip

    assert (customer.phone, customer.email) == ("+8613800138000", "zs@example.cn")
    assert sorted(customer.tags.values_list("name", flat=True)) == ["VIP", "新客"]


def test_customer_create_refuses_a_bad_phone_with_a_field_error():
    with pytest.raises(CustomerError) as caught:
        customer_create(name="x", phone="12345")

    assert caught.value.field == "phone"


def test_customer_create_refuses_a_second_customer_with_the_same_external_id():
    CustomerFactory(external_id="C1")

    with pytest.raises(CustomerError) as caught:
        customer_create(external_id="C1")

    assert caught.value.field == "external_id"


def test_customer_update_changes_only_the_given_fields():
    customer = CustomerFactory(region="上海", name="A")

    customer_update(customer=customer, region="北京")

    customer.refresh_from_db()
    assert (customer.region, customer.name) == ("北京", "A")


def test_matching_prefers_external_id_then_phone_then_email():
    by_id = CustomerFactory(external_id="C1", phone="+8613800000001", email="a@example.cn")
    by_phone = CustomerFactory(external_id=None, phone="+8613800000002", email="b@example.cn")
    by_email = CustomerFactory(external_id=None, phone="", email="c@example.cn")

    assert customer_match(external_id="C1", phone="13800000002") == by_id
    assert customer_match(external_id="UNKNOWN", phone="138 0000 0002") == by_phone
    assert customer_match(phone="+86 138 0000 0009", email="C@Example.cn") == by_email
    assert customer_match(external_id="UNKNOWN", email="nobody@example.cn") is None


def test_matching_a_merged_customer_gives_the_one_kept():
    kept = CustomerFactory()
    merged = CustomerFactory(external_id="OLD", merged_into=kept)

    assert merged.merged_into == kept
    assert customer_match(external_id="OLD") == kept
