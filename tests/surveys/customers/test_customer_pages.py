import pytest

from surveyhub.security.roles import Role
from surveys.customers.panels import (
    CustomerPanel,
    PanelContent,
    register_customer_panel,
    unregister_customer_panel,
)
from tests.factories import CustomerFactory, PurchaseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    client.force_login(UserFactory(role=Role.ADMIN))
    return client


def test_the_directory_searches_and_filters(staff):
    CustomerFactory(name="张三", region="上海")
    CustomerFactory(name="李四", region="北京", unsubscribed=True)

    page = staff.get("/staff/customers/?q=张").content.decode()
    assert "张三" in page and "李四" not in page
    page = staff.get("/staff/customers/?unsubscribed=1").content.decode()
    assert "李四" in page and "张三" not in page


def test_the_directory_runs_a_fixed_number_of_queries(staff, django_assert_max_num_queries):
    for n in range(20):
        CustomerFactory().tags.create(name=f"tag{n}")

    # 14: the purchased-category filter and the imported attributes' names are each read
    # once a minute (then the cache).
    with django_assert_max_num_queries(14):
        assert staff.get("/staff/customers/").status_code == 200


def test_the_customer_page_shows_the_purchases_panel(staff):
    customer = CustomerFactory()
    PurchaseFactory(customer=customer, order_id="ORDER-42")

    page = staff.get(f"/staff/customers/{customer.pk}/").content.decode()

    assert 'id="panel-purchases"' in page
    assert "ORDER-42" in page


def test_a_registered_panel_appears_on_the_customer_page(staff):
    customer = CustomerFactory()
    register_customer_panel(
        CustomerPanel(
            key="test-panel", title="Test panel",
            render=lambda c, request: PanelContent("analytics/panels/purchases.html",
                                                   {"totals": {}, "purchases": []}),
        )
    )  # fmt: skip
    try:
        page = staff.get(f"/staff/customers/{customer.pk}/").content.decode()
    finally:
        unregister_customer_panel("test-panel")

    assert 'id="panel-test-panel"' in page


def test_a_designer_does_not_see_the_purchases_panel(client):
    customer = CustomerFactory()
    client.force_login(UserFactory(role=Role.DESIGNER))

    page = client.get(f"/staff/customers/{customer.pk}/").content.decode()

    assert 'id="panel-profile"' in page
    assert 'id="panel-purchases"' not in page


def test_staff_merge_a_duplicate_from_the_customer_page(staff):
    keep, duplicate = CustomerFactory(), CustomerFactory()
    PurchaseFactory(customer=duplicate)

    response = staff.post(f"/staff/customers/{keep.pk}/merge/", {"duplicate": duplicate.pk})

    assert response.status_code == 302
    assert keep.purchases.count() == 1


def test_a_manager_cannot_merge(client):
    keep, duplicate = CustomerFactory(), CustomerFactory()
    client.force_login(UserFactory(role=Role.MANAGER))

    response = client.post(f"/staff/customers/{keep.pk}/merge/", {"duplicate": duplicate.pk})

    assert response.status_code == 403
