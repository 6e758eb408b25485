"""The satisfaction × value chart opens the customer directory with exactly the customers its
bar counts, and the filter errors name the filters as the form labels them."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

SCRIPT = Path(settings.BASE_DIR) / "analytics/static/analytics/dashboard.js"


def _matrix_click() -> str:
    body = SCRIPT.read_text(encoding="utf-8").split("function matrix(data)")[1]
    return body.split("onClick:")[1].split("!data.cells")[0]


def _directory_names(client, **params) -> set[str]:
    page = client.get(reverse("surveys:customers"), params).content.decode()
    return set(re.findall(r'<td><a href="/staff/customers/\d+/">([^<]*)</a></td>', page))


def test_a_value_tier_bar_opens_the_customer_directory_not_the_case_queue(client, manager):
    client.force_login(manager)
    config_links = client.get(reverse("admin:dashboard")).content.decode()
    click = _matrix_click()

    assert "config.links.customer" in click and "config.links.cases" not in click
    assert "value_tier: tiers[elements[0].index]" in click
    assert "nps_group: groups[elements[0].datasetIndex]" in click
    assert f"&quot;customer&quot;: &quot;{reverse('surveys:customers')}&quot;" in config_links


def test_the_directory_lists_exactly_the_customers_a_matrix_bar_counts(client, manager, dataset):
    CustomerFactory(name="没有价值评估的客户")  # in no CLV run: in no value tier
    client.force_login(manager)
    cells = client.get(reverse("dashboard-matrix")).json()["cells"]
    counted = {(c["tier"], c["group"]): c["customers"] for c in cells}

    high = _directory_names(client, value_tier="high", nps_group="detractor")
    low = _directory_names(client, value_tier="low", nps_group="detractor")

    assert high == {"高价值客户"} and counted[("high", "detractor")] == len(high)
    assert low == {"普通客户"} and counted[("low", "detractor")] == len(low)
    assert _directory_names(client, value_tier="high") == {"高价值客户"}
    assert _directory_names(client, value_tier="medium") == set()


def test_filter_errors_name_the_filter_by_its_label(client, manager):
    client.force_login(manager)

    page = client.get(reverse("admin:dashboard"), {"from": "2026-13-40", "value_tier": "gold"})
    errors = re.search(r'<ul class="errorlist">(.*?)</ul>', page.content.decode(), re.S).group(1)

    assert "<li>从: " in errors
    assert "from:" not in errors and "value_tier" not in errors
    english = client.get(
        reverse("admin:dashboard"), {"to": "someday"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "<li>To: " in re.search(r'<ul class="errorlist">(.*?)</ul>', english, re.S).group(1)
