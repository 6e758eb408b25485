"""The demo's cases: every state, with notes, replies and events; seeding twice adds nothing."""

import pytest

from feedback.cases.demo import seed as seed_cases
from feedback.models.cases import Case, CaseEvent, CaseNote, CaseReply, CaseStatus
from surveyhub.demo import seed_users
from tests.factories import CustomerFactory, published_survey, submitted_response

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Case, CaseEvent, CaseNote, CaseReply))


def test_demo_cases_cover_every_state_and_seeding_twice_adds_nothing(settings):
    settings.DEMO_MODE = False
    seed_users(log=lambda _m: None)
    survey = published_survey()
    for n in range(12):
        submitted_response(
            survey=survey, data={"nps": n % 7, "comment": "物流太慢，客服也不回复"},
            customer=CustomerFactory(),
        )  # fmt: skip

    seed_cases(log=lambda _m: None)
    first = counts()
    seed_cases(log=lambda _m: None)

    assert counts() == first
    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    assert CaseNote.objects.exists() and CaseReply.objects.filter(status="sent").exists()
    assert Case.objects.filter(status=CaseStatus.CLOSED, resolution_reason__isnull=False).exists()
