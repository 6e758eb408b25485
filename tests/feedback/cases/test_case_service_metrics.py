"""Service metrics on a known set of cases: first-response and resolution time (median,
p90), resolution rate, SLA compliance, backlog — overall, per agent, per team, over time."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from feedback.cases.queries import service_metrics
from feedback.models.cases import Case, CaseStatus, CaseTeam
from surveyhub.security.roles import Role
from tests.factories import UserFactory, detractor_case

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 10, 5, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Monday
START, END = T0, T0 + timedelta(days=14)


def make(*, opened_h: float, first_h=None, resolved_h=None, due_h=48.0, agent=None, team=None):
    case = detractor_case()
    created = T0 + timedelta(hours=opened_h)
    Case.objects.filter(pk=case.pk).update(
        created_at=created,
        sla_started_at=created,
        due_at=created + timedelta(hours=due_h),
        first_response_at=created + timedelta(hours=first_h) if first_h is not None else None,
        resolved_at=created + timedelta(hours=resolved_h) if resolved_h is not None else None,
        status=CaseStatus.RESOLVED if resolved_h is not None else CaseStatus.ASSIGNED,
        assignee=agent,
        team=team,
    )
    return case


@pytest.fixture
def known_cases():
    east = CaseTeam.objects.create(name="华东")
    li = UserFactory(username="li", role=Role.AGENT)
    wang = UserFactory(username="wang", role=Role.AGENT)
    # first response 1, 2, 3, 4 h; resolution 10, 20, 60 h (the last one past its 48 h SLA)
    make(opened_h=0, first_h=1, resolved_h=10, agent=li, team=east)
    make(opened_h=1, first_h=2, resolved_h=20, agent=li, team=east)
    make(opened_h=2, first_h=3, resolved_h=60, agent=wang)
    make(opened_h=200, first_h=4, agent=wang)  # second week, still open at the end
    make(opened_h=-48, resolved_h=100)  # opened before the period, resolved inside it
    make(opened_h=400)  # opened after the period: not counted
    return li, wang


def test_overall_figures(known_cases):
    metrics = service_metrics(start=START, end=END)
    assert metrics["opened"] == 4
    assert metrics["resolved"] == 4
    assert metrics["first_response_hours"] == {"median": 2.5, "p90": 3.7, "n": 4}
    # resolution times of the cases resolved in the period: 10, 20, 60, 100 h
    assert metrics["resolution_hours"] == {"median": 40.0, "p90": 88.0, "n": 4}
    assert metrics["resolution_rate"] == 0.75  # 3 of the 4 opened are resolved
    assert metrics["sla_compliance"] == 0.5  # 10 h and 20 h on time; 60 h and 100 h late
    assert metrics["backlog"]["open"] == 1
    assert metrics["backlog"]["oldest_hours"] == 136.0  # 14 days − 200 h


def test_per_agent_and_team(known_cases):
    metrics = service_metrics(start=START, end=END)
    assert metrics["per_agent"]["li"]["resolution_hours"]["median"] == 15.0
    assert metrics["per_agent"]["li"]["sla_compliance"] == 1.0
    assert metrics["per_agent"]["wang"]["resolution_rate"] == 0.5
    assert metrics["per_team"]["华东"]["opened"] == 2
    assert metrics["per_team"][""]["opened"] == 2


def test_over_time_by_week(known_cases):
    weeks = service_metrics(start=START, end=END)["over_time"]
    assert [(w["opened"], w["resolved"]) for w in weeks] == [(3, 4), (1, 0)]


def test_an_empty_period_has_no_rates():
    metrics = service_metrics(start=START, end=END)
    assert (metrics["opened"], metrics["resolution_rate"], metrics["sla_compliance"]) == (
        0, None, None,
    )  # fmt: skip
    assert metrics["first_response_hours"] == {"median": None, "p90": None, "n": 0}


def test_an_answer_within_seconds_shows_as_zero_hours_not_as_missing(client):
    """A median of 0.0 hours is a figure: the page once showed it as "—", as if no case
    had been answered (the demo's cases are answered the second they open)."""
    agent = UserFactory(username="zhao", role=Role.AGENT)
    make(opened_h=1, first_h=0.0001, resolved_h=0.0002, agent=agent)
    client.force_login(UserFactory(role=Role.MANAGER))

    body = client.get(
        "/staff/cases/metrics/", {"start": "2026-10-05", "end": "2026-10-18"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    ).content.decode()  # fmt: skip

    card = body[body.index("首次响应中位数（小时）") :].split("</div>")[0]
    assert "<strong>0.0</strong>" in card and "p90 0.0" in card
    row = body[body.index("<strong>zhao</strong>") :].split("</tr>")[0]
    assert row.count(">0.0</td>") == 4  # first response and resolution, median and p90
