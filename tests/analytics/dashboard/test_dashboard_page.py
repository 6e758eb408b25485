"""The dashboard page: default range, shareable filters, empty states, chart config."""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse

from analytics.evaluations.periods import local_today

pytestmark = pytest.mark.django_db


def config_of(response) -> dict:
    import html

    raw = re.search(rb'data-config="([^"]*)"', response.content).group(1).decode()
    return json.loads(html.unescape(raw))


def test_a_first_look_shows_the_last_twelve_months(client, manager):
    client.force_login(manager)

    response = client.get(reverse("admin:dashboard"))

    today = local_today()
    start = (today - dt.timedelta(days=364)).isoformat()
    assert f'name="from" value="{start}"'.encode() in response.content
    assert f'name="to" value="{today.isoformat()}"'.encode() in response.content


def test_filters_in_the_url_fill_the_form_and_the_export_links(client, manager, dataset):
    client.force_login(manager)

    response = client.get(
        reverse("admin:dashboard"), {"from": "", "to": "", "channel": "wechat", "region": "上海"}
    )

    content = response.content.decode()
    assert 'name="from" value=""' in content  # cleared dates: all time
    assert '<option value="wechat" selected>' in content
    assert '<option value="上海" selected>' in content
    assert "export.xlsx?from=&amp;to=&amp;channel=wechat" in content


def test_without_purchases_the_page_says_where_to_import_them(client, manager):
    client.force_login(manager)

    response = client.get(reverse("admin:dashboard"), HTTP_ACCEPT_LANGUAGE="en")

    assert b"No purchases imported yet" in response.content
    assert reverse("analytics:imports").encode() in response.content
    assert b'id="chart-rfm"' not in response.content


def test_the_page_passes_endpoints_and_translated_labels_to_the_script(client, manager, dataset):
    client.force_login(manager)

    config = config_of(client.get(reverse("admin:dashboard"), HTTP_ACCEPT_LANGUAGE="en"))

    assert config["api"]["matrix"] == reverse("dashboard-matrix")
    assert config["api"]["trend"] == reverse("metrics-trend")
    assert config["rfmAsOf"] == "2026-05-31"
    assert config["labels"]["promoter"] == "Promoters (9–10)"
    assert config["language"] == "en"


def test_a_bad_date_in_the_url_is_shown_not_a_500(client, manager):
    client.force_login(manager)

    response = client.get(reverse("admin:dashboard"), {"from": "2026-02-30"})

    assert response.status_code == 200
    assert b"errorlist" in response.content
