import pytest

from analytics.models import Purchase
from surveys.customers.services import CustomerError, customer_merge
from surveys.models import Customer, CustomerTag
from tests.factories import CustomerFactory, PurchaseFactory

pytestmark = pytest.mark.django_db


def test_merging_moves_purchases_and_fills_blanks_on_the_kept_customer():
    keep = CustomerFactory(external_id=None, phone="", email="keep@example.cn", region="")
    duplicate = CustomerFactory(external_id="C9", phone="+8613800138000", region="杭州")
    PurchaseFactory.create_batch(2, customer=duplicate)
    PurchaseFactory(customer=keep)

    customer_merge(keep=keep, duplicate=duplicate)

    keep.refresh_from_db()
    duplicate.refresh_from_db()
    assert Purchase.objects.filter(customer=keep).count() == 3
    assert not Purchase.objects.filter(customer=duplicate).exists()
    assert (keep.external_id, keep.phone, keep.region) == ("C9", "+8613800138000", "杭州")
    assert keep.email == "keep@example.cn"
    assert duplicate.merged_into == keep
    assert duplicate.external_id is None


def test_merging_moves_survey_responses_and_tags():
    from tests.factories import published_survey

    survey = published_survey()
    keep, duplicate = CustomerFactory(), CustomerFactory()
    duplicate.tags.add(CustomerTag.objects.create(name="VIP"))
    response = survey.responses.create(
        version=survey.versions.order_by("-id").first(), customer=duplicate, channel="link"
    )

    customer_merge(keep=keep, duplicate=duplicate)

    response.refresh_from_db()
    assert response.customer == keep
    assert list(keep.tags.values_list("name", flat=True)) == ["VIP"]


def test_an_unsubscribed_duplicate_keeps_the_merged_customer_unsubscribed():
    keep = CustomerFactory(unsubscribed=False)
    duplicate = CustomerFactory(unsubscribed=True)

    kept = customer_merge(keep=keep, duplicate=duplicate)

    assert kept.unsubscribed is True


def test_customers_merged_into_the_duplicate_follow_it():
    keep, duplicate = CustomerFactory(), CustomerFactory()
    older = CustomerFactory(merged_into=duplicate)

    customer_merge(keep=keep, duplicate=duplicate)

    older.refresh_from_db()
    assert older.merged_into == keep


def test_a_customer_cannot_be_merged_into_itself_or_twice():
    keep, duplicate = CustomerFactory(), CustomerFactory()

    with pytest.raises(CustomerError):
        customer_merge(keep=keep, duplicate=keep)
    customer_merge(keep=keep, duplicate=duplicate)
    with pytest.raises(CustomerError):
        customer_merge(keep=keep, duplicate=Customer.objects.get(pk=duplicate.pk))
