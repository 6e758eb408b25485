"""The periodic SLA check warns the assignee before the due time and, once overdue,
escalates to the team's manager — each threshold once, however often the task runs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from feedback.cases.contact import case_log_call
from feedback.cases.services import case_assign
from feedback.cases.tasks import check_case_slas
from feedback.models.cases import Case, CaseTeam
from surveyhub.security.roles import Role
from tests.factories import UserFactory, detractor_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    manager = UserFactory(username="boss", role=Role.MANAGER, email="boss@example.cn")
    agent = UserFactory(username="xiaoli", role=Role.AGENT, email="xiaoli@example.cn")
    team = CaseTeam.objects.create(name="华东客服", manager=manager)
    team.members.add(agent)
    return team


@pytest.fixture
def case(team):
    case = detractor_case()
    agent = team.members.get()
    return case_assign(case=case, assignee=agent, by=agent)


def move_clock(case, *, started_ago: timedelta, due_in: timedelta, first_due_in=None):
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(
        sla_started_at=now - started_ago,
        due_at=now + due_in,
        due_first_response_at=now + (first_due_in if first_due_in is not None else due_in),
    )


def recipients(mailoutbox) -> list[tuple[str, ...]]:
    return [tuple(m.to) for m in mailoutbox]


def test_a_case_nearly_due_warns_its_assignee_once(case, mailoutbox):
    move_clock(case, started_ago=timedelta(hours=60), due_in=timedelta(hours=2))
    check_case_slas()
    check_case_slas()
    assert recipients(mailoutbox) == [("xiaoli@example.cn",)]
    assert f"#{case.pk}" in mailoutbox[0].subject
    assert case.events.filter(kind="sla_warning").count() == 1


def test_an_overdue_case_escalates_to_the_teams_manager_once(case, mailoutbox):
    move_clock(
        case, started_ago=timedelta(days=8), due_in=-timedelta(hours=1),
        first_due_in=timedelta(hours=5),
    )  # fmt: skip
    assert check_case_slas()["notified"] == 1
    check_case_slas()
    (message,) = mailoutbox
    assert sorted(message.to) == ["boss@example.cn", "xiaoli@example.cn"]
    event = case.events.get(kind="escalated")
    assert event.after["threshold"] == "resolution:overdue"
    case.refresh_from_db()
    assert case.sla_notified == ["resolution:overdue"]


def test_a_missed_first_response_escalates_unless_someone_called(case, team, mailoutbox):
    move_clock(
        case, started_ago=timedelta(hours=80), due_in=timedelta(days=3),
        first_due_in=-timedelta(minutes=5),
    )  # fmt: skip
    other = detractor_case()
    case_log_call(case=other, summary="已回电", by=team.members.get())
    move_clock(
        other, started_ago=timedelta(hours=80), due_in=timedelta(days=3),
        first_due_in=-timedelta(minutes=5),
    )  # fmt: skip
    check_case_slas()
    assert len(mailoutbox) == 1
    assert case.events.filter(kind="escalated").get().after["threshold"] == (
        "first_response:overdue"
    )
    assert not other.events.filter(kind="escalated").exists()


def test_cases_well_within_their_sla_notify_nobody(case, mailoutbox):
    check_case_slas()
    assert mailoutbox == []


def test_an_overdue_case_without_a_team_escalates_to_every_manager(mailoutbox):
    UserFactory(username="m1", role=Role.MANAGER, email="m1@example.cn")
    case = detractor_case()
    move_clock(case, started_ago=timedelta(days=8), due_in=-timedelta(hours=1))
    check_case_slas()
    assert [m.to for m in mailoutbox] == [["m1@example.cn"]] * 2  # first response + resolution


def test_the_periodic_task_opens_cases_the_receiver_missed():
    from tests.factories import CustomerFactory, published_survey, submitted_response

    survey = published_survey()
    missed = submitted_response(survey=survey, data={"nps": 2}, customer=CustomerFactory())
    submitted_response(survey=survey, data={"nps": 9}, customer=CustomerFactory())
    assert check_case_slas()["responses_swept"] == 1
    assert Case.objects.get().response == missed
    assert check_case_slas()["responses_swept"] == 0
