"""The lifecycle page draws the flow between stages quarter over quarter as a Chart.js chart,
its data (translated labels) in a json_script block — no inline script (CSP)."""

import json
import re

import pytest

from surveyhub.security.roles import Role
from tests.analytics.referrals.lifecycle_runs import lifecycle_runs
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _chart_data(page: str) -> dict:
    found = re.search(r'<script id="lifecycle-flow-data" type="application/json">(.*?)</script>',
                      page, re.S)  # fmt: skip
    assert found, "no chart data on the page"
    return json.loads(found.group(1))


@pytest.fixture
def manager_client(client):
    client.force_login(UserFactory(role=Role.MANAGER))
    return client


def test_the_chart_data_holds_every_flow_of_the_table(manager_client):
    lifecycle_runs()

    page = manager_client.get("/staff/customers/lifecycle/").content.decode()
    data = _chart_data(page)

    assert 'id="lifecycle-flow-chart"' in page
    assert "analytics/lifecycle_chart.js" in page and "chart.umd.min.js" in page
    assert data["labels"] == ["尚未成为客户", "新客", "成长", "成熟", "衰退", "流失"]
    by_stage = {d["label"]: d["data"] for d in data["datasets"]}
    assert by_stage["新客"] == [6, 0, 0, 0, 0, 0]
    assert by_stage["流失"] == [0, 2, 0, 0, 3, 4]
    assert by_stage["挽回"] == [0, 0, 0, 0, 0, 2]
    assert sum(sum(d["data"]) for d in data["datasets"]) == 37
    assert data["y_title"] == "一个季度前的阶段"


def test_the_chart_labels_are_english_on_an_english_page(manager_client):
    lifecycle_runs()

    page = manager_client.get("/staff/customers/lifecycle/", HTTP_ACCEPT_LANGUAGE="en")
    data = _chart_data(page.content.decode())

    assert data["labels"][:2] == ["Not yet a customer", "New"]
    assert data["x_title"] == "Customers"


def test_without_an_earlier_run_there_is_no_chart(manager_client):
    from analytics.models import ClvRun

    lifecycle_runs()
    ClvRun.objects.order_by("as_of").first().delete()

    page = manager_client.get("/staff/customers/lifecycle/").content.decode()

    assert "lifecycle-flow-chart" not in page and "lifecycle-flow-data" not in page
