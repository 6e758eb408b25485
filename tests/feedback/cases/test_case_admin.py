"""Admins edit the case rules, SLA policies and reasons; case events are read-only."""

import pytest

from feedback.cases.rules import ensure_case_defaults
from feedback.models.cases import CaseEvent, CaseRule, CaseRuleKind
from surveyhub.security.roles import Role
from tests.factories import UserFactory, detractor_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(role=Role.ADMIN, is_superuser=False))
    return client


def test_an_admin_changes_a_rule_threshold(admin_client):
    ensure_case_defaults()
    rule = CaseRule.objects.get(kind=CaseRuleKind.NPS_MAX)
    assert admin_client.get("/admin/feedback/caserule/").status_code == 200
    response = admin_client.post(
        f"/admin/feedback/caserule/{rule.pk}/change/",
        {"kind": "nps_max", "threshold": "4", "words": "[]", "priority_bump": "0",
         "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.threshold == 4


@pytest.mark.parametrize("page", ["slapolicy", "resolutionreason", "caseteam", "case"])
def test_the_admin_lists_load(admin_client, page):
    ensure_case_defaults()
    detractor_case()
    assert admin_client.get(f"/admin/feedback/{page}/").status_code == 200


def test_case_events_cannot_be_deleted_from_the_admin(admin_client):
    case = detractor_case()
    assert admin_client.get(f"/admin/feedback/case/{case.pk}/delete/").status_code == 403
    assert CaseEvent.objects.filter(case=case).count() == 1
