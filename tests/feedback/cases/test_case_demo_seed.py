"""The demo's cases: every state, with notes, replies and events; seeding twice adds nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from feedback.cases.demo import seed as seed_cases
from feedback.cases.queries import service_metrics
from feedback.models.cases import Case, CaseEvent, CaseNote, CaseReply, CaseStatus
from surveyhub.demo import seed_users
from surveys.models import Response
from tests.factories import CustomerFactory, published_survey, submitted_response

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Case, CaseEvent, CaseNote, CaseReply))


def unhappy_customers(settings) -> None:
    """The demo users, and twelve detractors for the rules to open cases on."""
    settings.DEMO_MODE = False
    seed_users(log=lambda _m: None)
    survey = published_survey()
    for n in range(12):
        submitted_response(
            survey=survey, data={"nps": n % 7, "comment": "物流太慢，客服也不回复"},
            customer=CustomerFactory(),
        )  # fmt: skip


def test_demo_cases_cover_every_state_and_seeding_twice_adds_nothing(settings):
    unhappy_customers(settings)

    seed_cases(log=lambda _m: None)
    first = counts()
    seed_cases(log=lambda _m: None)

    assert counts() == first
    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    assert CaseNote.objects.exists() and CaseReply.objects.filter(status="sent").exists()
    assert Case.objects.filter(status=CaseStatus.CLOSED, resolution_reason__isnull=False).exists()


def test_demo_cases_take_a_service_team_s_hours_not_a_second(settings):
    """The services work a demo case in a second; the metrics page then showed every
    median as 0 hours. A worked case moves to when its response came in (one still open:
    hours ago), answered and resolved hours later, never after now, and its notes, replies
    and events with it."""
    unhappy_customers(settings)
    week_ago = timezone.now() - timedelta(days=7)
    Response.objects.update(completed_at=week_ago)

    seed_cases(log=lambda _m: None)

    now = timezone.now()
    metrics = service_metrics(start=week_ago - timedelta(days=1), end=now)
    assert metrics["opened"] == Case.objects.count() == 12
    assert metrics["first_response_hours"]["median"] >= 0.5
    assert metrics["resolution_hours"]["median"] >= 5
    for case in Case.objects.all():
        assert case.sla_started_at == case.created_at
        if case.resolved_at is None:  # open: opened hours ago, not with its response
            assert week_ago < case.created_at < now - timedelta(hours=2)
        else:
            assert case.created_at == week_ago + timedelta(minutes=5)
        assert case.due_at > case.created_at
        moments = [case.created_at, case.first_response_at, case.resolved_at, case.closed_at]
        kept = [m for m in moments if m is not None]
        assert kept == sorted(kept) and kept[-1] < now
        for row in [*case.notes.all(), *case.events.all(), *case.replies.all()]:
            assert case.created_at <= row.created_at < now
