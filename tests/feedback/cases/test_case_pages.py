"""The staff case pages: queue (filters, counts, claim), case page (context, escaping,
forms), metrics — and who may see them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from feedback.cases.rules import ensure_case_defaults
from feedback.cases.services import case_note_add
from feedback.models.cases import Case, CaseStatus, ResolutionReason
from surveyhub.security.roles import Role
from tests.factories import CustomerFactory, UserFactory, detractor_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def agent_client(client):
    agent = UserFactory(username="xiaowang", role=Role.AGENT)
    client.force_login(agent)
    client.user = agent
    return client


@pytest.mark.parametrize("role, code", [(Role.AGENT, 200), (Role.MANAGER, 200),
                                        (Role.ADMIN, 200), (Role.DESIGNER, 403)])  # fmt: skip
def test_who_may_see_the_queue_and_a_case(client, role, code):
    case = detractor_case()
    client.force_login(UserFactory(role=role))
    assert client.get("/staff/cases/").status_code == code
    assert client.get(f"/staff/cases/{case.pk}/").status_code == code
    assert client.get("/staff/cases/metrics/").status_code == code


def test_a_designer_cannot_claim(client):
    case = detractor_case()
    client.force_login(UserFactory(role=Role.DESIGNER))
    assert client.post(f"/staff/cases/{case.pk}/claim/").status_code == 403
    case.refresh_from_db()
    assert case.assignee is None


def test_the_queue_runs_a_fixed_number_of_queries(agent_client):
    for _ in range(3):
        detractor_case()
    agent_client.get("/staff/cases/")  # warm up (sessions, content types)
    with CaptureQueriesContext(connection) as few:
        agent_client.get("/staff/cases/")
    for _ in range(7):
        detractor_case()
    with CaptureQueriesContext(connection) as many:
        page = agent_client.get("/staff/cases/")
    assert page.status_code == 200
    assert len(many) == len(few)
    assert page.content.decode().count('class="case-card"') == 10


def test_counts_and_the_mine_filter(agent_client):
    mine, _other = detractor_case(), detractor_case()
    Case.objects.filter(pk=mine.pk).update(assignee=agent_client.user, status="assigned")
    page = agent_client.get("/staff/cases/?view=mine")
    assert page.context["counts"]["open"] == 2
    assert page.context["counts"]["mine"] == 1
    assert page.context["counts"]["unassigned"] == 1
    assert [c.pk for c in page.context["page"]] == [mine.pk]


def test_claim_from_the_queue(agent_client):
    case = detractor_case()
    response = agent_client.post(f"/staff/cases/{case.pk}/claim/", {"next": "queue"})
    assert response.status_code == 302
    assert response["Location"] == "/staff/cases/"
    case.refresh_from_db()
    assert (case.assignee, case.status) == (agent_client.user, CaseStatus.ASSIGNED)


def test_the_case_page_escapes_customer_text_and_marks_escalation_words(agent_client):
    case = detractor_case(comment="<script>alert('x')</script> 我要投诉")
    from feedback.models import FeedbackItem

    FeedbackItem.objects.create(
        text=case.response.answers.get(question_key="comment").text,
        customer=case.customer, response=case.response,
    ).cases.add(case)  # fmt: skip
    html = agent_client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    assert '<mark class="escalation">投诉</mark>' in html


def test_the_case_page_shows_internal_notes_and_earlier_cases(agent_client):
    customer = CustomerFactory()
    earlier = detractor_case(customer=customer)
    Case.objects.filter(pk=earlier.pk).update(status=CaseStatus.CLOSED)
    case = detractor_case(customer=customer)
    case_note_add(case=case, text="内部：VIP 客户", by=agent_client.user)
    html = agent_client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "内部：VIP 客户" in html
    assert f'href="/staff/cases/{earlier.pk}/"' in html


def test_resolving_from_the_page_and_an_illegal_action_shows_the_message(agent_client):
    ensure_case_defaults()
    case = detractor_case()
    reason = ResolutionReason.objects.get(name="道歉")
    agent_client.post(
        f"/staff/cases/{case.pk}/resolve/", {"reason": reason.pk, "outcome": "recovered"}
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED
    agent_client.post(f"/staff/cases/{case.pk}/close/")
    page = agent_client.post(
        f"/staff/cases/{case.pk}/resolve/",
        {"reason": reason.pk, "outcome": "recovered"},
        follow=True,
    )
    messages = [str(m) for m in page.context["messages"]]
    assert "Cannot resolve a closed case; reopen it first." in messages


def test_an_agent_cannot_bulk_assign_but_a_manager_can(client):
    agent = UserFactory(role=Role.AGENT)
    first, second = detractor_case(), detractor_case()
    client.force_login(agent)
    client.post("/staff/cases/bulk-assign/", {"assignee": UserFactory(role=Role.AGENT).pk,
                                              "cases": [first.pk, second.pk]})  # fmt: skip
    assert Case.objects.filter(assignee__isnull=False).count() == 0
    client.force_login(UserFactory(role=Role.MANAGER))
    client.post("/staff/cases/bulk-assign/", {"assignee": agent.pk, "cases": [first.pk, second.pk]})
    assert Case.objects.filter(assignee=agent).count() == 2
