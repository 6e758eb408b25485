"""Only Managers and Admins see the dashboard and its data; everyone else is turned away."""

import pytest
from django.urls import reverse

from surveyhub.security.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "dashboard-tiles", "dashboard-nps-distribution", "dashboard-sentiment-trend",
    "dashboard-topics", "dashboard-matrix", "dashboard-service",
]  # fmt: skip


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMIN])
def test_managers_and_admins_open_the_dashboard(client, role):
    client.force_login(UserFactory(role=role))

    response = client.get(reverse("admin:dashboard"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert b"vendor/chart.js/chart.umd.min.js" in response.content
    assert b"<script>" not in response.content  # no inline script: config in data attributes


@pytest.mark.parametrize("role", [Role.AGENT, Role.DESIGNER])
def test_agents_and_designers_get_403_on_the_page_and_the_export(client, role):
    client.force_login(UserFactory(role=role))

    assert client.get(reverse("admin:dashboard")).status_code == 403
    assert client.get(reverse("admin:dashboard-export", args=["csv"])).status_code == 403


def test_anonymous_visitors_are_sent_to_the_admin_login(client):
    response = client.get(reverse("admin:dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("name", ENDPOINTS)
@pytest.mark.parametrize("role", [Role.AGENT, Role.DESIGNER])
def test_agents_and_designers_get_403_from_every_endpoint(client, name, role):
    client.force_login(UserFactory(role=role))

    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", ENDPOINTS)
def test_anonymous_calls_to_the_endpoints_get_401(client, name):
    assert client.get(reverse(name)).status_code == 401


def test_the_admin_index_links_to_the_dashboard_for_managers_only(client):
    client.force_login(UserFactory(role=Role.MANAGER))
    assert reverse("admin:dashboard").encode() in client.get(reverse("admin:index")).content

    client.force_login(UserFactory(role=Role.AGENT))
    assert reverse("admin:dashboard").encode() not in client.get(reverse("admin:index")).content
