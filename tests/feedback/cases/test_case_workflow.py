"""The case workflow: new → assigned → in progress → waiting → resolved → closed, reopen;
illegal transitions are refused with a clear message; every change is an event."""

import pytest
from django.utils import translation

from feedback.cases.contact import case_log_call
from feedback.cases.rules import ensure_case_defaults
from feedback.cases.services import (
    CaseError,
    case_assign,
    case_claim,
    case_close,
    case_note_add,
    case_reopen,
    case_resolve,
    case_start,
    case_wait_on_customer,
    cases_bulk_assign,
)
from feedback.models.cases import CaseEvent, CaseNote, CaseStatus, ResolutionReason
from surveyhub.security.roles import Role
from tests.factories import UserFactory, detractor_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (msgids), whatever the catalogue holds."""
    with translation.override("en"):
        yield


@pytest.fixture
def agent():
    return UserFactory(role=Role.AGENT)


@pytest.fixture
def case():
    return detractor_case()


@pytest.fixture
def refund():
    ensure_case_defaults()
    return ResolutionReason.objects.get(name="退款")


def test_the_full_happy_path_writes_an_event_for_every_step(case, agent, refund):
    case = case_claim(case=case, by=agent)
    assert (case.status, case.assignee) == (CaseStatus.ASSIGNED, agent)
    case = case_start(case=case, by=agent)
    assert case.status == CaseStatus.IN_PROGRESS
    case = case_wait_on_customer(case=case, by=agent)
    assert case.status == CaseStatus.WAITING_ON_CUSTOMER
    case = case_resolve(case=case, reason=refund, outcome="recovered", by=agent)
    assert (case.status, case.resolution_reason, case.outcome) == ("resolved", refund, "recovered")
    assert case.resolved_at is not None
    case = case_close(case=case, by=agent)
    assert case.status == CaseStatus.CLOSED
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == ["opened", "claimed", "status_changed", "status_changed", "resolved", "closed"]
    assert case.events.exclude(kind="opened").filter(actor=agent).count() == 5


def test_resolving_a_closed_case_is_refused_with_a_clear_message(case, agent, refund):
    case_resolve(case=case, reason=refund, outcome="recovered", by=agent)
    case_close(case=case, by=agent)
    with pytest.raises(CaseError, match=r"Cannot resolve a closed case; reopen it first\."):
        case_resolve(case=case, reason=refund, outcome="recovered", by=agent)


@pytest.mark.parametrize(
    "action, message",
    [
        (lambda c, u, r: case_close(case=c, by=u), "Only a resolved case can be closed"),
        (lambda c, u, r: case_reopen(case=c, by=u), "This case is still open."),
        (lambda c, u, r: case_wait_on_customer(case=c, by=u), "Only an assigned case"),
    ],
)
def test_illegal_transitions_from_new_are_refused(case, agent, refund, action, message):
    with pytest.raises(CaseError, match=message):
        action(case, agent, refund)
    case.refresh_from_db()
    assert case.status == CaseStatus.NEW
    assert list(case.events.values_list("kind", flat=True)) == ["opened"]


def test_a_resolved_case_cannot_be_started_or_resolved_again(case, agent, refund):
    case_resolve(case=case, reason=refund, outcome="not_recovered", by=agent)
    with pytest.raises(CaseError, match=r"Cannot start work on a case that is Resolved\."):
        case_start(case=case, by=agent)
    with pytest.raises(CaseError, match="already resolved"):
        case_resolve(case=case, reason=refund, outcome="recovered", by=agent)


def test_resolving_needs_a_known_outcome(case, agent, refund):
    with pytest.raises(CaseError, match="Choose an outcome"):
        case_resolve(case=case, reason=refund, outcome="maybe", by=agent)


def test_reopen_restarts_the_sla_and_clears_the_resolution(case, agent, refund):
    case_resolve(case=case, reason=refund, outcome="recovered", by=agent)
    case_close(case=case, by=agent)
    old_due = case.due_at
    case = case_reopen(case=case, by=agent)
    assert case.status == CaseStatus.ASSIGNED  # it kept its assignee
    assert (case.resolved_at, case.resolution_reason, case.outcome) == (None, None, "")
    assert case.due_at > old_due
    assert case.events.last().kind == "reopened"


def test_claiming_a_case_someone_else_has_is_refused(case, agent):
    case_claim(case=case, by=agent)
    with pytest.raises(CaseError, match="already assigned to"):
        case_claim(case=case, by=UserFactory(role=Role.AGENT))


def test_an_agent_cannot_assign_to_someone_else_but_a_manager_can(case, agent):
    other = UserFactory(role=Role.AGENT)
    with pytest.raises(CaseError, match="Only a manager"):
        case_assign(case=case, assignee=other, by=agent)
    manager = UserFactory(role=Role.MANAGER)
    case = case_assign(case=case, assignee=other, by=manager)
    assert case.assignee == other
    event = case.events.get(kind="assigned")
    assert event.actor == manager
    assert event.after["assignee"] == other.username


def test_a_designer_cannot_be_given_cases(case):
    designer = UserFactory(role=Role.DESIGNER)
    with pytest.raises(CaseError, match="cannot work on cases"):
        case_assign(case=case, assignee=designer, by=UserFactory(role=Role.MANAGER))


def test_bulk_assign_is_all_or_nothing(agent):
    manager = UserFactory(role=Role.MANAGER)
    first, second = detractor_case(), detractor_case()
    assert cases_bulk_assign(case_ids=[first.pk, second.pk], assignee=agent, by=manager) == 2
    first.refresh_from_db()
    assert first.assignee == agent
    closed = detractor_case()
    case_resolve(
        case=closed, reason=ResolutionReason.objects.first(), outcome="recovered", by=agent
    )
    third = detractor_case()
    with pytest.raises(CaseError):
        cases_bulk_assign(case_ids=[third.pk, closed.pk], assignee=agent, by=manager)
    third.refresh_from_db()
    assert third.assignee is None


def test_a_logged_call_sets_the_first_response_and_starts_work(case, agent):
    note = case_log_call(case=case, summary="已致电客户，答应补发", by=agent)
    case.refresh_from_db()
    assert case.first_response_at == note.created_at
    assert (case.status, case.assignee) == (CaseStatus.IN_PROGRESS, agent)


def test_an_empty_note_is_refused_and_a_note_is_recorded(case, agent):
    with pytest.raises(CaseError, match="Write the note"):
        case_note_add(case=case, text="  ", by=agent)
    case_note_add(case=case, text="客户是老顾客，优先处理", by=agent)
    assert CaseNote.objects.get(case=case).author == agent
    assert case.events.last().kind == "note_added"


def test_events_cannot_be_edited_or_deleted(case):
    event = CaseEvent.objects.get(case=case)
    event.kind = "tampered"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
