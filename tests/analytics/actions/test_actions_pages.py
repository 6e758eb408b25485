"""A manager plans an improvement from a missed indicator, sees it listed with its status in
words (overdue worked out from the due date), and later periods show the indicator before and
after with a significance test. Bad input: clear messages, nothing saved."""

import datetime as dt
import html

import pytest

from analytics.evaluations.periods import local_today
from analytics.evaluations.scorecard import evaluation_compute
from analytics.models import ImprovementAction
from surveyhub.security.roles import Role
from tests.analytics.actions.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return html.unescape(response.content.decode())


def test_an_action_from_a_missed_indicator_shows_its_before_and_after(
    nps_recovered, manager, manager_user
):
    evaluation_compute(period="2026-09")
    workspace = page(manager.get("/staff/evaluations/2026-09/"))
    assert "/staff/actions/new/?indicator=nps&period=2026-09" in workspace  # NPS missed 30

    form = page(manager.get("/staff/actions/new/?indicator=nps&period=2026-09"))
    assert 'value="Bring NPS back to target"' in form and 'value="2026-09"' in form
    due = local_today() + dt.timedelta(days=30)
    response = manager.post("/staff/actions/new/?indicator=nps&period=2026-09", {
        "title": "回访全部贬损者 📞", "description": "48 小时内电话回访", "indicator": "nps",
        "baseline_period": "2026-09", "expected_change": "20", "owner": manager_user.pk,
        "due_date": due.isoformat(), "status": "open", "source_kind": "indicator",
    })  # fmt: skip
    assert response.status_code == 302, page(response)
    action = ImprovementAction.objects.get()
    assert action.baseline_value == -50.0 and action.created_by == manager_user

    detail = page(manager.get(f"/staff/actions/{action.pk}/"))
    assert "NPS in 9/2026 (before): −50.0. Expected after the action: −30.0." in detail
    october = detail[detail.index("10/2026") :]
    assert "40.0" in october and "n = 100" in october and "+90.0 points" in october
    assert "Significant improvement (p < 0.001)." in october
    assert "Yes" in october

    listing = page(manager.get("/staff/actions/"))
    assert "回访全部贬损者 📞" in listing and "Open" in listing
    ImprovementAction.objects.filter(pk=action.pk).update(
        due_date=local_today() - dt.timedelta(days=3)
    )
    listing = page(manager.get("/staff/actions/?status=overdue"))
    assert "Overdue" in listing and "3 days late" in listing and "al-missed" in listing

    manager.post(f"/staff/actions/{action.pk}/status/", {"status": "done"})
    action.refresh_from_db()
    assert action.status == "done" and action.done_on == local_today()
    assert "回访全部贬损者" not in page(manager.get("/staff/actions/?status=overdue"))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"expected_change": "0"}, "Expected a change other than 0 and at most ±200.0"),
        ({"expected_change": "500"}, "at most ±200.0"),
        ({"baseline_period": "2026Q9"}, "Expected a quarter like 2026Q3 or a month like 2026-10."),
        ({"baseline_period": "2099Q1"}, "The baseline period has not begun yet."),
        ({"due_date": "2020-01-01"}, "The due date is in the past"),
        ({"title": ""}, "This field is required."),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(manager, manager_user, changes, message):
    data = {"title": "提升 NPS", "indicator": "nps", "baseline_period": "2026-09",
            "expected_change": "5", "owner": manager_user.pk,
            "due_date": (local_today() + dt.timedelta(days=7)).isoformat(),
            "status": "open"}  # fmt: skip
    response = manager.post("/staff/actions/new/", {**data, **changes})
    assert response.status_code == 200
    assert message in page(response)
    assert not ImprovementAction.objects.exists()


def test_agents_and_designers_cannot_see_or_plan_actions():
    for role in (Role.AGENT, Role.DESIGNER):
        client = client_for(UserFactory(role=role))
        assert client.get("/staff/actions/").status_code == 403
        assert client.get("/staff/actions/new/").status_code == 403


def test_an_action_from_an_alert_carries_it_and_shows_its_before_and_after(
    nps_recovered, manager, manager_user
):
    from analytics.alerts.services import alert_fire
    from analytics.models import AlertRule

    rule = AlertRule.objects.create(name="NPS 月环比", kind="nps_drop", threshold=5,
                                    window="month")  # fmt: skip
    alert = alert_fire(rule, key="nps:2026-09", details={
        "metric": "nps", "current": -50.0, "previous": 10.0, "difference": -60.0,
        "p_value": 0.0001, "n_current": 100, "n_previous": 90, "window": "month",
        "current_key": "2026-09", "previous_key": "2026-08",
    })  # fmt: skip
    evaluation_compute(period="2026-09")
    alerts = page(manager.get("/staff/alerts/"))
    assert f"/staff/actions/new/?alert={alert.pk}" in alerts

    form = page(manager.get(f"/staff/actions/new/?alert={alert.pk}"))
    assert f'name="alert" value="{alert.pk}"' in form and 'value="2026-09"' in form
    assert 'name="source_kind" value="alert"' in form
    due = local_today() + dt.timedelta(days=30)
    response = manager.post(f"/staff/actions/new/?alert={alert.pk}", {
        "title": alert.title, "indicator": "nps", "baseline_period": "2026-09",
        "expected_change": "20", "owner": manager_user.pk, "due_date": due.isoformat(),
        "status": "open", "source_kind": "alert", "alert": alert.pk,
    })  # fmt: skip

    assert response.status_code == 302, page(response)
    action = ImprovementAction.objects.get()
    assert action.alert == alert and action.source == "alert" and action.baseline_value == -50.0
    detail = page(manager.get(f"/staff/actions/{action.pk}/"))
    assert "Significant improvement (p < 0.001)." in detail[detail.index("10/2026") :]
