"""/api/v1/alert-rules/ and /api/v1/alerts/: model permissions (Admins write rules, Managers
read and close alerts, Agents nothing), field errors for impossible thresholds, and the
endpoints documented in the OpenAPI schema."""

import pytest
from django.test import Client

from analytics.alerts.services import alerts_evaluate, deliveries_send_due
from analytics.models import AlertRule
from surveyhub.api.tokens import api_token_create
from surveyhub.security.roles import Role
from tests.analytics.alerts.conftest import TODAY, make_rule
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def api(role) -> Client:
    _token, key = api_token_create(user=UserFactory(role=role))
    return Client(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en")


RULE = {"name": "贬损者占比 > 30%", "kind": "detractor_share", "window": "month", "threshold": 30}


def test_admins_create_rules_managers_read_them_agents_are_refused():
    admin, manager, agent = api(Role.ADMIN), api(Role.MANAGER), api(Role.AGENT)
    created = admin.post("/api/v1/alert-rules/", RULE, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["threshold"] == 30.0
    assert manager.get("/api/v1/alert-rules/").json()["results"][0]["name"] == RULE["name"]
    assert (
        manager.post("/api/v1/alert-rules/", RULE, content_type="application/json").status_code
        == 403
    )
    assert agent.get("/api/v1/alert-rules/").status_code == 403
    assert agent.get("/api/v1/alerts/").status_code == 403
    assert Client().get("/api/v1/alerts/").status_code in (401, 403)
    pk = created.json()["id"]
    patched = admin.patch(f"/api/v1/alert-rules/{pk}/", {"threshold": 150},
                          content_type="application/json")  # fmt: skip
    assert patched.status_code == 400
    assert "150.0 is impossible" in patched.json()["errors"]["threshold"][0]
    assert AlertRule.objects.get().threshold == 30.0


def test_an_impossible_threshold_is_a_400_naming_the_field():
    response = api(Role.ADMIN).post(
        "/api/v1/alert-rules/", {**RULE, "threshold": 101}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "could never fire" in response.json()["errors"]["threshold"][0]
    assert not AlertRule.objects.exists()


def test_managers_list_alerts_with_their_deliveries_and_close_them(
    nps_dropped, robots, robot_server
):
    make_rule(robots=robots[:1], email_managers=False)
    alerts_evaluate(today=TODAY)
    deliveries_send_due()
    manager = api(Role.MANAGER)
    body = manager.get("/api/v1/alerts/?status=open").json()
    (alert,) = body["results"]
    assert alert["title"] == "NPS fell from 40.0 to −20.0 in week 46 of 2026"
    assert (
        alert["deliveries"][0]["channel"] == "wecom" and alert["deliveries"][0]["status"] == "sent"
    )
    closed = manager.post(f"/api/v1/alerts/{alert['id']}/close/")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert manager.get("/api/v1/alerts/?status=open").json()["results"] == []
    bad = manager.get("/api/v1/alerts/?status=whatever")
    assert bad.status_code == 400 and "status" in bad.json()["errors"]


def test_the_schema_documents_alerts_rules_and_actions():
    schema = api(Role.ADMIN).get("/api/schema/?format=json").json()
    for path in ("/api/v1/alert-rules/", "/api/v1/alerts/", "/api/v1/alerts/{id}/close/",
                 "/api/v1/actions/", "/api/v1/actions/{id}/"):  # fmt: skip
        assert path in schema["paths"], path
