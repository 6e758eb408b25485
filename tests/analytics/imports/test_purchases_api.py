import pytest

from analytics.models import Purchase
from surveyhub.security.roles import Role
from tests.factories import CustomerFactory, PurchaseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    client.force_login(UserFactory(role=Role.ADMIN))
    return client


def test_a_purchase_is_created_for_a_customer_by_external_id(admin):
    CustomerFactory(external_id="C1")

    response = admin.post(
        "/api/v1/purchases/",
        {"customer": "C1", "order_id": "O1", "ordered_at": "2026-01-05T14:30:00+08:00",
         "amount": "-20.00", "category": "服装"},
        content_type="application/json",
    )  # fmt: skip

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["amount"], body["currency"], body["is_refund"]) == ("-20.00", "CNY", True)


def test_a_repeated_order_id_or_unknown_customer_is_a_400(admin):
    PurchaseFactory(order_id="O1", customer=CustomerFactory(external_id="C1"))
    payload = {"customer": "C1", "order_id": "O1", "ordered_at": "2026-01-05T00:00:00Z",
               "amount": "1"}  # fmt: skip

    repeated = admin.post("/api/v1/purchases/", payload, content_type="application/json")
    assert list(repeated.json()["errors"]) == ["order_id"]
    payload.update(order_id="O2", customer="NOBODY")
    unknown = admin.post("/api/v1/purchases/", payload, content_type="application/json")
    assert list(unknown.json()["errors"]) == ["customer"]
    assert Purchase.objects.count() == 1


def test_the_list_filters_by_date_and_category_in_fixed_queries(
    admin, django_assert_max_num_queries
):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Asia/Shanghai")
    for day in (1, 10, 20):
        PurchaseFactory(ordered_at=datetime(2026, 1, day, tzinfo=tz), category="食品")
    PurchaseFactory(ordered_at=datetime(2026, 1, 10, tzinfo=tz), category="数码")

    with django_assert_max_num_queries(6):
        body = admin.get("/api/v1/purchases/?from=2026-01-05&to=2026-01-20&category=食品").json()

    assert body["count"] == 2
    assert admin.get("/api/v1/purchases/?from=yesterday").status_code == 400


def test_an_agent_can_list_purchases_but_not_create_them(client):
    client.force_login(UserFactory(role=Role.AGENT))

    assert client.get("/api/v1/purchases/").status_code == 200
    assert client.post("/api/v1/purchases/", {}, content_type="application/json").status_code == 403
