"""/staff/ starts each role where its work is: an agent's open and overdue cases, a
designer's surveys with their response counts, a manager's summary of the period."""

import datetime as dt

import pytest
from django.utils import timezone

from feedback.models.cases import Case
from surveyhub.security.roles import Role
from surveys.models import Survey
from tests.factories import UserFactory, detractor_case, published_survey, submitted_response

pytestmark = pytest.mark.django_db


def test_an_agent_sees_their_open_cases_and_the_overdue_ones(client):
    agent = UserFactory(role=Role.AGENT)
    mine, late = detractor_case(), detractor_case()
    Case.objects.filter(pk=mine.pk).update(assignee=agent, status="assigned")
    Case.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(hours=2))
    client.force_login(agent)
    page = client.get("/staff/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert [c.pk for c in page.context["my_cases"]] == [mine.pk]
    assert [c.pk for c in page.context["overdue_cases"]] == [late.pk]
    html = page.content.decode()
    assert f"/staff/cases/{mine.pk}/" in html and "overdue by 2 hours" in html
    assert page.context.get("surveys") is None and page.context.get("period") is None


def test_a_designer_sees_their_surveys_with_response_counts(client):
    designer = UserFactory(role=Role.DESIGNER)
    survey = published_survey()
    Survey.objects.filter(pk=survey.pk).update(created_by=designer)
    for score in (3, 9):
        submitted_response(survey=survey, data={"nps": score})
    client.force_login(designer)
    page = client.get("/staff/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert [(s.pk, s.completed) for s in page.context["surveys"]] == [(survey.pk, 2)]
    assert page.context["own_surveys"] is True
    assert page.context.get("my_cases") is None


def test_a_manager_sees_the_period_summary_with_open_and_overdue_counts(client):
    detractor_case()
    late = detractor_case()
    Case.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    client.force_login(UserFactory(role=Role.MANAGER))
    page = client.get("/staff/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    assert page.context["counts"]["open"] == 2 and page.context["counts"]["overdue"] == 1
    assert page.context["index"] is None
    assert "尚未计算" in page.content.decode()


def test_the_bare_host_leads_to_the_staff_home_and_a_stranger_on_to_the_login(client):
    home = client.get("/")
    assert home.status_code == 302 and home["Location"] == "/staff/"
    landed = client.get("/", follow=True)
    assert landed.redirect_chain[-1][0].startswith("/accounts/login/?next=/staff/")
    assert landed.status_code == 200
