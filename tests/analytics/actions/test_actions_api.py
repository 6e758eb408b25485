"""/api/v1/actions/: Managers create, list and edit improvement actions (model permissions);
a bad period, an impossible change or a past due date is a 400 naming the field; the
detail carries the before/after with its significance."""

import datetime as dt

import pytest
from django.test import Client

from analytics.evaluations.periods import local_today
from analytics.models import ImprovementAction
from surveyhub.api.tokens import api_token_create
from surveyhub.security.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    _token, key = api_token_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en")


def body(owner, **changes) -> dict:
    return {"title": "縮短首次回應時間", "indicator": "first_response_time",
            "baseline_period": "2026-09", "expected_change": -4, "owner": owner.pk,
            "due_date": (local_today() + dt.timedelta(days=14)).isoformat(), **changes}  # fmt: skip


def test_a_manager_creates_lists_and_closes_an_action(nps_recovered, manager_user):
    client = api(manager_user)
    data = body(manager_user, indicator="nps", expected_change=20)
    created = client.post("/api/v1/actions/", data,
                          content_type="application/json")  # fmt: skip
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["state"] == "open" and data["state_label"] == "Open"
    assert data["baseline_value"] == -50.0
    detail = client.get(f"/api/v1/actions/{data['id']}/").json()
    october = detail["effect"]["rows"][0]
    assert october["period"] == "2026-10" and october["reached"] is True
    assert october["p_value"] < 0.001
    ImprovementAction.objects.update(due_date=local_today() - dt.timedelta(days=1))
    overdue = client.get("/api/v1/actions/?status=overdue").json()["results"]
    assert [a["state"] for a in overdue] == ["overdue"]
    done = client.patch(f"/api/v1/actions/{data['id']}/", {"status": "done"},
                        content_type="application/json")  # fmt: skip
    assert done.status_code == 200 and done.json()["done_on"] == local_today().isoformat()
    assert client.get("/api/v1/actions/?status=overdue").json()["results"] == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"expected_change": 0}, "expected_change"),
        ({"baseline_period": "2026-13"}, "baseline_period"),
        ({"due_date": "2001-01-01"}, "due_date"),
        ({"indicator": "happiness"}, "indicator"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(manager_user, changes, field):
    response = api(manager_user).post("/api/v1/actions/", body(manager_user, **changes),
                                      content_type="application/json")  # fmt: skip
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not ImprovementAction.objects.exists()


def test_agents_and_designers_are_refused(manager_user):
    for role in (Role.AGENT, Role.DESIGNER):
        client = api(UserFactory(role=role))
        assert client.get("/api/v1/actions/").status_code == 403
        assert client.post("/api/v1/actions/", body(manager_user),
                           content_type="application/json").status_code == 403  # fmt: skip
    assert not ImprovementAction.objects.exists()
