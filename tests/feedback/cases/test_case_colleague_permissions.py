"""One rule for a colleague's case, on the pages and in the API alike: an agent works
unassigned cases and their own; acting on a case assigned to someone else (note, call,
reply, start, wait, resolve, close, reopen) needs the reassign permission — the Manager's,
the same that taking the case would need."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from feedback.cases.rules import ensure_case_defaults
from feedback.cases.services import case_claim, case_resolve
from feedback.models.cases import Case, CaseEvent, CaseNote, CaseReply, ResolutionReason
from surveyhub.security.roles import Role
from tests.factories import CustomerFactory, UserFactory, detractor_case

pytestmark = pytest.mark.django_db

REFUSAL = "This case is assigned to owner; only they or a manager can work on it."


@pytest.fixture
def claimed():
    """A case claimed by the agent `owner`."""
    ensure_case_defaults()
    owner = UserFactory(username="owner", role=Role.AGENT)
    case = detractor_case(customer=CustomerFactory(email="kehu@example.cn"))
    return case_claim(case=case, by=owner)


def _api(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def _page(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


API_ACTIONS = {
    "note": ("post", "notes/", {"text": "我来看看"}),
    "reply": ("post", "reply/", {"message": "您好"}),
    "resolve": ("post", "resolve/", {"reason": "道歉", "outcome": "recovered"}),
    "start": ("patch", "", {"status": "in_progress"}),
    "wait": ("patch", "", {"status": "waiting_on_customer"}),
}


@pytest.mark.parametrize("action", API_ACTIONS)
def test_the_api_refuses_an_agent_acting_on_a_colleagues_case_with_403(claimed, action):
    colleague = UserFactory(username="colleague", role=Role.AGENT)
    events_before = CaseEvent.objects.filter(case=claimed).count()
    method, path, body = API_ACTIONS[action]

    reply = getattr(_api(colleague), method)(f"/api/v1/cases/{claimed.pk}/{path}", body)

    assert reply.status_code == 403, reply.content
    assert reply.json()["detail"] == REFUSAL
    case = Case.objects.get(pk=claimed.pk)
    assert (case.status, case.assignee.username) == ("assigned", "owner")
    assert CaseEvent.objects.filter(case=case).count() == events_before
    assert not CaseNote.objects.exists() and not CaseReply.objects.exists()


@pytest.mark.parametrize("action", API_ACTIONS)
def test_the_owner_and_a_manager_may_act_through_the_api(claimed, action):
    method, path, body = API_ACTIONS[action]
    for username, role in (("owner", Role.AGENT), ("boss", Role.MANAGER)):
        user = UserFactory(username=username, role=role)
        reply = getattr(_api(user), method)(f"/api/v1/cases/{claimed.pk}/{path}", body)
        assert reply.status_code in (200, 201), (username, reply.content)
        if action == "resolve":  # once resolved, the next one would be refused for that
            Case.objects.filter(pk=claimed.pk).update(status="assigned", resolved_at=None)


PAGE_ACTIONS = {
    "note": {"text": "我来看看"},
    "call": {"summary": "打过电话"},
    "reply": {"message": "您好", "subject": ""},
    "start": {},
    "wait": {},
}


@pytest.mark.parametrize("action", PAGE_ACTIONS)
def test_the_pages_refuse_an_agent_acting_on_a_colleagues_case(claimed, action):
    colleague = _page(UserFactory(username="colleague", role=Role.AGENT))
    events_before = CaseEvent.objects.filter(case=claimed).count()

    reply = colleague.post(
        f"/staff/cases/{claimed.pk}/{action}/", PAGE_ACTIONS[action], follow=True
    )

    assert reply.status_code == 200
    assert REFUSAL in [str(m) for m in reply.context["messages"]]
    case = Case.objects.get(pk=claimed.pk)
    assert (case.status, case.first_response_at) == ("assigned", None)
    assert CaseEvent.objects.filter(case=case).count() == events_before
    assert not CaseNote.objects.exists() and not CaseReply.objects.exists()


def test_the_pages_refuse_resolving_closing_and_reopening_a_colleagues_case(claimed):
    colleague_user = UserFactory(username="colleague", role=Role.AGENT)
    colleague = _page(colleague_user)
    reason = ResolutionReason.objects.get(name="道歉")

    colleague.post(
        f"/staff/cases/{claimed.pk}/resolve/", {"reason": reason.pk, "outcome": "recovered"}
    )
    assert Case.objects.get(pk=claimed.pk).status == "assigned"

    case_resolve(case=claimed, reason=reason, outcome="recovered", by=claimed.assignee)
    colleague.post(f"/staff/cases/{claimed.pk}/close/")
    assert Case.objects.get(pk=claimed.pk).status == "resolved"
    colleague.post(f"/staff/cases/{claimed.pk}/reopen/")
    assert Case.objects.get(pk=claimed.pk).status == "resolved"


def test_the_case_page_shows_a_colleague_no_forms_and_says_whose_case_it_is(claimed):
    colleague = _page(UserFactory(username="colleague", role=Role.AGENT))
    owner = _page(claimed.assignee)

    theirs = colleague.get(f"/staff/cases/{claimed.pk}/").content.decode()
    mine = owner.get(f"/staff/cases/{claimed.pk}/").content.decode()

    assert 'id="colleagues-case"' in theirs and REFUSAL in theirs
    assert f"/staff/cases/{claimed.pk}/note/" not in theirs
    assert f"/staff/cases/{claimed.pk}/note/" in mine
    assert 'id="colleagues-case"' not in mine


def test_a_manager_works_an_agents_case_on_the_page(claimed):
    manager = _page(UserFactory(username="boss", role=Role.MANAGER))
    page = manager.get(f"/staff/cases/{claimed.pk}/").content.decode()
    assert f"/staff/cases/{claimed.pk}/note/" in page

    manager.post(f"/staff/cases/{claimed.pk}/note/", {"text": "经理备注"})

    assert CaseNote.objects.get().author.username == "boss"


def test_an_unassigned_case_is_still_anyones_to_work(claimed):
    agent = UserFactory(username="other", role=Role.AGENT)
    Case.objects.filter(pk=claimed.pk).update(assignee=None, status="new")

    reply = _api(agent).post(f"/api/v1/cases/{claimed.pk}/notes/", {"text": "先记一下"})

    assert reply.status_code == 201
