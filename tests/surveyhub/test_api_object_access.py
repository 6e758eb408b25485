"""Object-level rules of the API that the role table alone does not show."""

import pytest

from feedback.models.cases import Case, CaseNote
from surveyhub.api.tokens import api_token_create
from surveyhub.security.roles import Role
from tests.factories import UserFactory, detractor_case

pytestmark = pytest.mark.django_db


def token_for(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {api_token_create(user=user)[1]}"}


@pytest.fixture
def colleagues_case():
    """An open case assigned to agent B."""
    colleague = UserFactory(username="agent-b", role=Role.AGENT)
    case = detractor_case()
    Case.objects.filter(pk=case.pk).update(assignee=colleague, status="assigned")
    return case


def test_an_agent_cannot_take_a_case_assigned_to_a_colleague(client, colleagues_case):
    # PRODUCT.md: agents claim unassigned cases or are assigned; moving a case between people
    # is the manager's (feedback.reassign_case) — the API must not offer a way around it.
    agent = UserFactory(username="agent-a", role=Role.AGENT)

    reply = client.patch(
        f"/api/v1/cases/{colleagues_case.pk}/", {"assignee": "agent-a"},
        content_type="application/json", HTTP_ACCEPT_LANGUAGE="en", **token_for(agent),
    )  # fmt: skip

    assert reply.status_code == 400
    assert "manager" in reply.json()["detail"]
    colleagues_case.refresh_from_db()
    assert colleagues_case.assignee.username == "agent-b"


def test_an_agent_can_take_an_unassigned_case_and_a_manager_can_move_any(client):
    case = detractor_case()
    agent = UserFactory(username="agent-a", role=Role.AGENT)
    taken = client.patch(
        f"/api/v1/cases/{case.pk}/", {"assignee": "agent-a"},
        content_type="application/json", **token_for(agent),
    )  # fmt: skip
    assert taken.status_code == 200
    manager = UserFactory(role=Role.MANAGER)
    UserFactory(username="agent-c", role=Role.AGENT)
    moved = client.patch(
        f"/api/v1/cases/{case.pk}/", {"assignee": "agent-c"},
        content_type="application/json", **token_for(manager),
    )  # fmt: skip
    assert (moved.status_code, moved.json()["assignee"]) == (200, "agent-c")


def test_an_agent_may_not_add_a_note_to_a_colleagues_case_but_a_manager_may(
    client, colleagues_case
):
    # One rule for a colleague's case (README, issue #22): acting on it — a note included —
    # needs the reassign permission, the same that taking it would.
    agent = UserFactory(username="agent-a", role=Role.AGENT)
    manager = UserFactory(username="manager-m", role=Role.MANAGER)

    refused = client.post(
        f"/api/v1/cases/{colleagues_case.pk}/notes/", {"text": "客户昨天也来电了"},
        content_type="application/json", **token_for(agent),
    )  # fmt: skip
    allowed = client.post(
        f"/api/v1/cases/{colleagues_case.pk}/notes/", {"text": "客户昨天也来电了"},
        content_type="application/json", **token_for(manager),
    )  # fmt: skip

    assert refused.status_code == 403
    assert not CaseNote.objects.filter(case=colleagues_case, author=agent).exists()
    assert allowed.status_code == 201
    assert CaseNote.objects.filter(case=colleagues_case, author=manager).exists()


def test_a_designer_reads_customers_but_not_what_they_answered(client):
    case = detractor_case(comment="快递员态度恶劣")
    designer = UserFactory(role=Role.DESIGNER)
    auth = token_for(designer)

    customer = client.get(f"/api/v1/customers/{case.customer_id}/", **auth)
    answers = client.get(f"/api/v1/responses/{case.response_id}/", **auth)

    assert customer.status_code == 200
    assert "快递员态度恶劣" not in customer.content.decode()
    assert answers.status_code == 403
