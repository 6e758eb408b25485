"""The customer 360 page gathers answers, feedback, cases and purchases from every app."""

import pytest

from surveyhub.security.roles import Role
from tests.factories import CustomerFactory, UserFactory, detractor_case

pytestmark = pytest.mark.django_db


def test_the_customer_page_shows_answers_and_cases_beside_each_other(client):
    customer = CustomerFactory(name="赵敏")
    case = detractor_case(customer=customer, nps=2, comment="快递丢件了，客服推来推去")
    client.force_login(UserFactory(role=Role.AGENT))

    html = client.get(f"/staff/customers/{customer.pk}/").content.decode()

    assert "问卷回答" in html and "NPS 2" in html
    assert "快递丢件了，客服推来推去" in html
    assert f"/staff/cases/{case.pk}/" in html


def test_a_designer_does_not_see_the_cases_panel(client):
    customer = CustomerFactory(name="张无忌")
    detractor_case(customer=customer)
    client.force_login(UserFactory(role=Role.DESIGNER))
    html = client.get(f"/staff/customers/{customer.pk}/").content.decode()
    assert "/staff/cases/" not in html
