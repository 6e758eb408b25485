import pytest

from surveyhub.security.roles import Role
from surveys.customers.panels import _VALUE, register_customer_value
from surveys.models import Customer
from tests.factories import CustomerFactory, PurchaseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    client.force_login(UserFactory(role=Role.ADMIN))
    return client


def test_create_normalises_the_phone_and_sets_tags(admin):
    response = admin.post(
        "/api/v1/customers/",
        {"external_id": "C1", "name": "张三", "phone": "138 0013 8000", "tags": ["VIP"]},
        content_type="application/json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["phone"], body["tags"]) == ("+8613800138000", ["VIP"])


def test_a_bad_phone_is_a_400_on_the_phone_field_in_the_request_language(admin):
    response = admin.post(
        "/api/v1/customers/", {"name": "x", "phone": "12345"},
        content_type="application/json", HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip

    assert response.status_code == 400
    assert response.json()["errors"]["phone"][0].startswith("Not a phone number")


def test_a_duplicate_external_id_is_a_400(admin):
    CustomerFactory(external_id="C1")

    response = admin.post(
        "/api/v1/customers/", {"external_id": "C1"}, content_type="application/json"
    )

    assert response.status_code == 400
    assert "external_id" in response.json()["errors"]


def test_list_filters_and_searches(admin):
    CustomerFactory(name="张三", region="上海")
    CustomerFactory(name="李四", region="北京", phone="+8613900139000")

    assert admin.get("/api/v1/customers/?region=北京").json()["count"] == 1
    assert admin.get("/api/v1/customers/?q=张").json()["results"][0]["name"] == "张三"
    assert admin.get("/api/v1/customers/?q=139 0013").json()["count"] == 1


def test_list_runs_a_fixed_number_of_queries(admin, django_assert_max_num_queries):
    for _ in range(10):
        CustomerFactory().tags.create(name=f"t{Customer.objects.count()}")

    with django_assert_max_num_queries(8):  # 7 + the access-log entry (tests/privacy)
        response = admin.get("/api/v1/customers/")

    assert response.json()["count"] == 10


def test_retrieve_adds_the_value_from_registered_providers(admin):
    customer = CustomerFactory()
    registered = list(_VALUE)  # analytics registers its own provider; set it aside here
    _VALUE.clear()
    register_customer_value(lambda c: {"rfm_segment": "重要价值客户"})
    try:
        body = admin.get(f"/api/v1/customers/{customer.pk}/").json()
    finally:
        _VALUE[:] = registered

    assert body["value"] == {"rfm_segment": "重要价值客户"}


def test_a_customer_with_purchases_cannot_be_deleted_but_can_be_merged(admin):
    keep, duplicate = CustomerFactory(), CustomerFactory()
    PurchaseFactory(customer=duplicate)

    assert admin.delete(f"/api/v1/customers/{duplicate.pk}/").status_code == 400
    response = admin.post(
        f"/api/v1/customers/{keep.pk}/merge/", {"duplicate": duplicate.pk},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 200
    assert keep.purchases.count() == 1


def test_an_agent_can_read_but_not_change_customers(client):
    customer = CustomerFactory()
    client.force_login(UserFactory(role=Role.AGENT))

    assert client.get("/api/v1/customers/").status_code == 200
    assert (
        client.patch(
            f"/api/v1/customers/{customer.pk}/", {"name": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
