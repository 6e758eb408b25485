"""A manager's home — /staff/ and the admin index — opens on the tasks: this period's index
and dimensions, open alerts, actions due and overdue cases; the table list and the Chart.js
dashboard stay one click away. Other roles keep their own start."""

import datetime as dt
import html

import pytest

from analytics.alerts.services import alert_fire
from analytics.evaluations.periods import local_today, period_containing
from analytics.evaluations.scorecard import evaluation_compute
from analytics.models import AlertRule, ImprovementAction
from surveyhub.security.roles import Role
from tests.analytics.actions.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks(manager_user):
    evaluation_compute(period=period_containing(local_today()).code)
    rule = AlertRule.objects.create(name="NPS 周环比", kind="nps_drop", threshold=5)
    alert_fire(rule, key="nps:2026-W48", details={
        "metric": "nps", "current": 10.0, "previous": 35.0, "difference": -25.0,
        "p_value": 0.0004, "n_current": 120, "n_previous": 130, "window": "week",
        "current_key": "2026-W48", "previous_key": "2026-W47",
    })  # fmt: skip
    ImprovementAction.objects.create(
        title="培训门店店员 🧑‍🏫", indicator="csat", baseline_period="2026Q3", expected_change=5,
        owner=manager_user, due_date=local_today() - dt.timedelta(days=2),
    )  # fmt: skip


def text(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_staff_home_of_a_manager_shows_the_tasks(manager, tasks):
    home = text(manager.get("/staff/"))
    for words in ("Relationship index", "Satisfaction", "Loyalty", "Value growth", "Experience",
                  "Open alerts", "NPS fell from 35.0 to 10.0 in week 48 of 2026",
                  "培训门店店员 🧑‍🏫", "Overdue", "2 days late", "Overdue cases"):  # fmt: skip
        assert words in home, words
    assert "/admin/dashboard/" in home and "/staff/evaluations/" in home


def test_the_admin_index_opens_on_the_tasks_with_the_tables_one_click_away(manager, tasks):
    index = text(manager.get("/admin/"))
    assert "Today's tasks" in index
    assert "NPS fell from 35.0 to 10.0" in index and "培训门店店员" in index
    assert "Satisfaction" in index and "Overdue cases" in index
    assert "/admin/?tables=1" in index and "/admin/dashboard/" in index
    tables = text(manager.get("/admin/?tables=1"))
    assert "Today's tasks" not in tables and "/admin/analytics/" in tables


def test_an_agent_keeps_the_case_home_and_the_table_list(tasks):
    agent = client_for(UserFactory(role=Role.AGENT))
    home = text(agent.get("/staff/"))
    assert "My open cases" in home and "Open alerts" not in home
    index = text(agent.get("/admin/"))
    assert "Today's tasks" not in index
