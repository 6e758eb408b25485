"""`customers/{id}/personal-data/`: export (Admin, Manager) and erasure (Admin only)."""

import pytest

from surveyhub.security.roles import Role
from surveys.models import Customer, PersonalDataAccess
from tests.factories import UserFactory
from tests.privacy.conftest import COMMENT, EMAIL, NAME

pytestmark = pytest.mark.django_db


def url(customer) -> str:
    return f"/api/v1/customers/{customer.pk}/personal-data/"


def test_the_export_holds_every_kind_of_data_about_the_person(client, person):
    client.force_login(UserFactory(role=Role.MANAGER))

    response = client.get(url(person.customer))

    assert response.status_code == 200
    data = response.json()
    assert data["profile"][0]["name"] == NAME and data["profile"][0]["email"] == EMAIL
    [answered] = data["responses"]
    assert {a["question"]: a["text"] or a["number"] for a in answered["answers"]} == {
        "nps": 3,
        "comment": COMMENT,
    }
    assert answered["consent"]["version"] == 1 and len(answered["consent"]["sha256"]) == 64
    assert {item["source"] for item in data["feedback"]} == {"survey", "ecommerce"}
    [case] = data["cases"]
    assert NAME in case["notes"][0]["text"]
    assert case["replies"][0]["to"] == EMAIL and case["replies"][0]["status"] == "sent"
    assert [p["amount"] for p in data["purchases"]] == ["120.00", "88.50", "310.00"]
    assert data["invitations"][0]["status"] == "sent"
    # Nothing of the other customer.
    assert "李四" not in response.content.decode()
    # The export is itself logged, and shows in the export (this one and the first).
    assert PersonalDataAccess.objects.filter(
        action="export", channel="api", customer_id=person.customer.pk
    ).exists()
    again = client.get(url(person.customer)).json()
    assert [e["action"] for e in again["access_log"]] == ["export", "export"]


def test_an_admin_erases_through_the_api(client, person):
    client.force_login(UserFactory(role=Role.ADMIN))

    response = client.delete(url(person.customer))

    assert response.status_code == 200, response.content
    assert response.json()["records"]["responses"] >= 1
    assert Customer.objects.get(pk=person.customer.pk).name == ""
    second = client.delete(url(person.customer), HTTP_ACCEPT_LANGUAGE="en")
    assert second.status_code == 400
    assert "already erased" in second.json()["detail"]


@pytest.mark.parametrize(
    ("role", "get", "delete"),
    [
        (Role.ADMIN, 200, None),
        (Role.MANAGER, 200, 403),
        (Role.DESIGNER, 403, 403),
        (Role.AGENT, 403, 403),
    ],
)
def test_only_admins_erase_and_only_admins_and_managers_export(client, role, get, delete):
    from tests.factories import CustomerFactory

    customer = CustomerFactory()
    client.force_login(UserFactory(role=role))

    assert client.get(url(customer)).status_code == get
    if delete is not None:
        assert client.delete(url(customer)).status_code == delete
        assert Customer.objects.get(pk=customer.pk).erased_at is None


def test_anonymous_callers_get_nothing(client, person):
    assert client.get(url(person.customer)).status_code in (401, 403)
    assert client.delete(url(person.customer)).status_code in (401, 403)


def test_an_unknown_customer_is_a_404(client):
    client.force_login(UserFactory(role=Role.ADMIN))

    assert client.get("/api/v1/customers/999999/personal-data/").status_code == 404
