"""The cases API (API.md): list, retrieve, update, notes, reply, resolve — per role."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from feedback.cases.rules import ensure_case_defaults
from feedback.models.cases import Case, CaseNote
from surveyhub.security.roles import Role
from tests.factories import CustomerFactory, UserFactory, detractor_case

pytestmark = pytest.mark.django_db


def client_for(role, username=None):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    user = UserFactory(role=role, **({"username": username} if username else {}))
    client.force_authenticate(user)
    return client, user


def test_an_agent_lists_cases_most_urgent_first_in_a_fixed_number_of_queries():
    for tier in ("", "high", "", "high", ""):
        detractor_case(customer=CustomerFactory(attributes={"value_tier": tier}), nps=1)
    client, _agent = client_for(Role.AGENT)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/cases/")
    assert response.status_code == 200
    assert response.json()["count"] == 5
    assert len(queries) <= 6  # auth/permissions, count, page — not one per case
    due = [row["due_at"] for row in response.json()["results"]]
    assert due == sorted(due)
    assert response.json()["results"][0]["priority"] == "P1"


def test_list_filters_and_a_bad_filter_is_a_400():
    agent_client, agent = client_for(Role.AGENT)
    mine = detractor_case()
    detractor_case()
    Case.objects.filter(pk=mine.pk).update(assignee=agent)
    assert [c["id"] for c in agent_client.get("/api/v1/cases/?view=mine").json()["results"]] == [
        mine.pk
    ]
    assert agent_client.get("/api/v1/cases/?view=unassigned").json()["count"] == 1
    bad = agent_client.get("/api/v1/cases/?priority=P9")
    assert bad.status_code == 400
    assert "priority" in bad.json()["errors"]


def test_a_designer_sees_no_cases():
    case = detractor_case()
    client, _designer = client_for(Role.DESIGNER)
    assert client.get("/api/v1/cases/").status_code == 403
    assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 403
    assert client.post(f"/api/v1/cases/{case.pk}/notes/", {"text": "x"}).status_code == 403


def test_anonymous_requests_are_refused():
    assert APIClient().get("/api/v1/cases/").status_code in (401, 403)


def test_an_agent_claims_then_cannot_reassign_but_a_manager_can():
    case = detractor_case()
    agent_client, _agent = client_for(Role.AGENT, "agent_a")
    other = UserFactory(username="agent_b", role=Role.AGENT)
    claimed = agent_client.patch(f"/api/v1/cases/{case.pk}/", {"assignee": "agent_a"})
    assert claimed.status_code == 200, claimed.json()
    assert (claimed.json()["assignee"], claimed.json()["status"]) == ("agent_a", "assigned")
    refused = agent_client.patch(f"/api/v1/cases/{case.pk}/", {"assignee": "agent_b"})
    assert refused.status_code == 400
    assert "manager" in refused.json()["detail"]
    manager_client, _manager = client_for(Role.MANAGER)
    moved = manager_client.patch(f"/api/v1/cases/{case.pk}/", {"assignee": other.username})
    assert moved.json()["assignee"] == "agent_b"


def test_status_update_runs_the_workflow_and_illegal_moves_are_400():
    case = detractor_case()
    client, _agent = client_for(Role.AGENT)
    started = client.patch(f"/api/v1/cases/{case.pk}/", {"status": "in_progress"})
    assert started.json()["status"] == "in_progress"
    closed = client.patch(f"/api/v1/cases/{case.pk}/", {"status": "closed"})
    assert closed.status_code == 400
    assert closed.json() == {"detail": "Only a resolved case can be closed; resolve it first."}
    resolved = client.patch(f"/api/v1/cases/{case.pk}/", {"status": "resolved"})
    assert resolved.status_code == 400


def test_notes_are_internal_and_listed():
    case = detractor_case()
    client, agent = client_for(Role.AGENT)
    created = client.post(f"/api/v1/cases/{case.pk}/notes/", {"text": "老客户，先打电话"})
    assert created.status_code == 201
    assert created.json()["author"] == agent.username
    assert [n["text"] for n in client.get(f"/api/v1/cases/{case.pk}/notes/").json()] == [
        "老客户，先打电话"
    ]
    assert client.post(f"/api/v1/cases/{case.pk}/notes/", {"text": ""}).status_code == 400
    assert CaseNote.objects.count() == 1


def test_reply_and_resolve(mailoutbox, django_capture_on_commit_callbacks):
    ensure_case_defaults()
    case = detractor_case(customer=CustomerFactory(email="api@example.cn"))
    client, _agent = client_for(Role.AGENT)
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post(f"/api/v1/cases/{case.pk}/reply/", {"message": "您好，已处理"})
    assert reply.status_code == 201
    assert [m.to for m in mailoutbox] == [["api@example.cn"]]
    bad = client.post(f"/api/v1/cases/{case.pk}/resolve/", {"reason": "退款", "outcome": "x"})
    assert bad.status_code == 400
    assert "outcome" in bad.json()["errors"]
    done = client.post(
        f"/api/v1/cases/{case.pk}/resolve/", {"reason": "退款", "outcome": "recovered"}
    )
    assert done.status_code == 200
    body = done.json()
    assert (body["status"], body["resolution_reason"], body["outcome"]) == (
        "resolved", "退款", "recovered",
    )  # fmt: skip
    assert body["first_response_at"] is not None
    again = client.post(
        f"/api/v1/cases/{case.pk}/resolve/", {"reason": "退款", "outcome": "recovered"}
    )
    assert again.status_code == 400


def test_value_tier_and_survey_filters():
    from tests.factories import published_survey

    other_survey = published_survey()
    high = detractor_case(customer=CustomerFactory(attributes={"value_tier": "high"}))
    elsewhere = detractor_case(survey=other_survey)
    client, _agent = client_for(Role.AGENT)
    by_tier = client.get("/api/v1/cases/?value_tier=high").json()["results"]
    assert [c["id"] for c in by_tier] == [high.pk]
    by_survey = client.get(f"/api/v1/cases/?survey={other_survey.pk}").json()["results"]
    assert [c["id"] for c in by_survey] == [elsewhere.pk]


def test_topic_filter():
    from feedback.models import FeedbackItem, FeedbackTopic, Topic

    case, _other = detractor_case(), detractor_case()
    item = FeedbackItem.objects.create(text="物流慢", response=case.response)
    case.feedback_items.add(item)
    topic = Topic.objects.create(key="delivery", name="物流")
    FeedbackTopic.objects.create(item=item, topic=topic, weight=1.0)
    client, _agent = client_for(Role.AGENT)
    shown = client.get(f"/api/v1/cases/?topic={topic.pk}").json()["results"]
    assert [c["id"] for c in shown] == [case.pk]
