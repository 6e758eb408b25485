"""The staff side: export (a JSON download) and erasure (after a confirmation page) from the
admin's customer list and the customer 360 page."""

import json

import pytest

from surveyhub.security.roles import Role
from surveys.models import Customer
from tests.factories import UserFactory
from tests.privacy.conftest import EMAIL, NAME

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/surveys/customer/"


def test_the_export_action_downloads_the_persons_json(client, person):
    client.force_login(UserFactory(role=Role.MANAGER))

    picked = client.post(
        CHANGELIST, {"action": "export_personal_data", "_selected_action": [person.customer.pk]}
    )
    download = client.get(picked["Location"])

    assert download.status_code == 200
    assert download["Content-Disposition"] == (
        f'attachment; filename="customer-{person.customer.pk}.json"'
    )
    data = json.loads(download.content)
    assert data["profile"][0]["email"] == EMAIL


def test_erasure_asks_for_confirmation_first(client, person):
    client.force_login(UserFactory(role=Role.ADMIN))

    picked = client.post(
        CHANGELIST, {"action": "erase_personal_data", "_selected_action": [person.customer.pk]}
    )
    confirm = client.get(picked["Location"])

    assert confirm.status_code == 200
    assert 'name="confirm" value="yes"' in confirm.content.decode()
    assert Customer.objects.get(pk=person.customer.pk).erased_at is None

    done = client.post(picked["Location"], {"confirm": "yes"}, follow=True)

    assert done.status_code == 200
    assert Customer.objects.get(pk=person.customer.pk).name == ""
    assert NAME not in done.content.decode()


def test_a_manager_sees_no_erase_action_and_cannot_open_the_erase_page(client, person):
    client.force_login(UserFactory(role=Role.MANAGER))

    listing = client.get(CHANGELIST).content.decode()

    assert "export_personal_data" in listing
    assert "erase_personal_data" not in listing
    erase = f"{CHANGELIST}{person.customer.pk}/erase/"
    assert client.post(erase, {"confirm": "yes"}).status_code == 403
    assert Customer.objects.get(pk=person.customer.pk).erased_at is None


def test_the_action_wants_exactly_one_customer(client, person):
    client.force_login(UserFactory(role=Role.ADMIN))

    response = client.post(
        CHANGELIST,
        {
            "action": "erase_personal_data",
            "_selected_action": [person.customer.pk, person.other.pk],
        },
        follow=True,
    )

    assert response.status_code == 200
    assert not Customer.objects.filter(erased_at__isnull=False).exists()


def test_the_360_page_offers_export_and_erasure_by_role(client, person):
    page = f"/staff/customers/{person.customer.pk}/"
    client.force_login(UserFactory(role=Role.ADMIN))
    admin_html = client.get(page).content.decode()
    client.force_login(UserFactory(role=Role.AGENT))
    agent_html = client.get(page).content.decode()

    assert f"/admin/surveys/customer/{person.customer.pk}/erase/" in admin_html
    assert f"/admin/surveys/customer/{person.customer.pk}/personal-data/" in admin_html
    assert "personal-data/" not in agent_html and "/erase/" not in agent_html
