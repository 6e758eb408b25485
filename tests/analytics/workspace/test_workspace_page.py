"""The evaluation workspace page: index, dimensions, indicators in words, trend, provisional
marking, headline, the CLV run's health, clear pages for bad periods, and who may see it."""

import re

import pytest
from django.test import Client

from analytics.evaluations.clv_runs import clv_fit
from analytics.evaluations.periods import local_today, period_containing
from analytics.evaluations.scorecard import evaluation_compute
from analytics.models import ScorecardTarget
from surveyhub.security.roles import Role
from tests.analytics.workspace.conftest import client_for

pytestmark = pytest.mark.django_db


def text(response) -> str:
    body = response.content.decode()
    body = body[body.find("<main") :]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_the_period_page_shows_index_dimensions_and_every_indicator_in_words(manager, two_quarters):
    page = manager.get("/staff/evaluations/2026Q2/", HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == 200
    shown = text(page)
    snapshot = two_quarters["q2"]
    assert f"{snapshot.overall_index:.1f}" in shown
    for dimension in ("Satisfaction", "Loyalty", "Value growth", "Experience"):
        assert dimension in shown
    # NPS Q2: 3 promoters, 1 detractor of 5 → 40; Q1: 2 of 3 and 1 of 3 → 33.3.
    assert "NPS Met 40.0 Target ≥ 30.0 Previous period 33.3 (+6.7 points" in shown
    assert "n = 5 answers" in shown
    assert "Retention rate" in shown and "n = 6 customers" in shown  # Q1's buyers
    assert "Share of promoters (9–10) minus share of detractors (0–6)" in shown
    # Labels, never codes; the status in words and as a colour class.
    assert "value_growth" not in shown and "no_data" not in shown
    assert 'class="ws-indicator ws-met"' in page.content.decode()
    assert "Weight 25%" in shown
    assert "version 1" in shown and "compared with Q1 2026" in shown


def test_a_missed_target_is_said_in_words_and_red(manager, two_quarters):
    ScorecardTarget.objects.create(code="nps", target=60.0)
    evaluation_compute(period="2026Q2")

    page = manager.get("/staff/evaluations/2026Q2/", HTTP_ACCEPT_LANGUAGE="en")

    assert "NPS Missed 40.0 Target ≥ 60.0" in text(page)
    assert re.search(
        r'class="ws-card ws-missed">\s*<span class="ws-name">Satisfaction', page.content.decode()
    )


def test_the_trend_covers_eight_periods_with_the_evaluated_ones_filled_in(manager, two_quarters):
    page = manager.get("/staff/evaluations/2026Q2/", HTTP_ACCEPT_LANGUAGE="en")

    shown = text(page)
    rows = re.findall(
        r"(Q\d \d{4}) (—|[\d.]+) ", shown[shown.find("Trend of the last 8 periods") :]
    )
    assert [label for label, _ in rows[:8]] == [
        "Q3 2024",
        "Q4 2024",
        "Q1 2025",
        "Q2 2025",
        "Q3 2025",
        "Q4 2025",
        "Q1 2026",
        "Q2 2026",
    ]
    assert rows[6][1] != "—" and rows[5][1] == "—"
    assert 'data-config="' in page.content.decode()  # Chart.js reads it; no inline script
    assert "<script>" not in page.content.decode()


def test_a_complete_period_is_not_provisional_but_the_running_one_is(manager, two_quarters):
    complete = text(manager.get("/staff/evaluations/2026Q2/", HTTP_ACCEPT_LANGUAGE="en"))
    running = period_containing(local_today())
    evaluation_compute(period=running)

    current = text(manager.get(f"/staff/evaluations/{running.code}/", HTTP_ACCEPT_LANGUAGE="en"))

    assert "Provisional:" not in complete
    day = (local_today() - running.start).days + 1
    total = (running.end - running.start).days + 1
    assert f"Provisional: computed on day {day} of {total}." in current
    assert "whole previous period" in current


def test_the_headline_compares_promoters_passives_and_detractors_after_they_answered(
    manager, two_quarters
):
    shown = text(manager.get("/staff/evaluations/2026Q2/", HTTP_ACCEPT_LANGUAGE="en"))

    # Answered in Q1: two promoters both ordered in Q2, the detractor did not.
    assert "Customers by their latest NPS answer in Q1 2026, and their orders in Q2 2026." in shown
    assert "Promoters 2 100.0%" in shown
    assert "Detractors 1 0.0%" in shown
    assert "Detractors this period 1" in shown  # Q2's one detractor


def test_the_clv_run_behind_the_value_dimension_is_judged(manager, two_quarters):
    no_run = text(manager.get("/staff/evaluations/2026Q2/", HTTP_ACCEPT_LANGUAGE="en"))
    clv_fit(as_of=two_quarters["q2"].period_end)
    evaluation_compute(period="2026Q2")

    shown = text(manager.get("/staff/evaluations/2026Q2/", HTTP_ACCEPT_LANGUAGE="en"))

    assert "No CLV run is dated in this period" in no_run
    assert "The run as of 2026-06-30: 6 customers" in shown
    # Six customers, two repeat buyers: never a stable fit, and the page says so with the fallback.
    assert "This CLV fit is not reliable." in shown
    assert "Only 2 customers bought more than once" in shown
    assert "Fallback:" in shown and "¥" in shown


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/staff/evaluations/2026Q5/", 400, "is not a period"),
        ("/staff/evaluations/not-a-period/", 400, "Expected a quarter like 2026Q3"),
        ("/staff/evaluations/2099Q1/", 404, "Q1 2099 has not begun yet"),
        ("/staff/evaluations/2020-03/", 404, "3/2020 has not been evaluated yet"),
    ],
)
def test_bad_periods_get_a_clear_page_not_a_500(manager, two_quarters, url, status, message):
    page = manager.get(url, HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == status
    assert message in text(page)
    assert "/staff/evaluations/2026Q2/" in page.content.decode()  # where to go instead


def test_without_any_snapshot_the_workspace_says_so(manager):
    page = manager.get("/staff/evaluations/", HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == 200
    assert "No period has been evaluated yet" in text(page)


def test_the_workspace_opens_on_the_latest_evaluated_quarter(manager, two_quarters):
    shown = text(manager.get("/staff/evaluations/", HTTP_ACCEPT_LANGUAGE="en"))

    assert "Relationship evaluation · Q2 2026" in shown


def test_chinese_is_the_default(manager, two_quarters):
    shown = text(manager.get("/staff/evaluations/2026Q2/"))

    assert "2026 年第 2 季度" in shown and "达标" in shown and "n = 5 个回答" in shown


@pytest.mark.parametrize("role", [Role.AGENT, Role.DESIGNER])
def test_agents_and_designers_are_refused(two_quarters, role):
    client = client_for(role)

    assert client.get("/staff/evaluations/").status_code == 403
    assert client.get("/staff/evaluations/2026Q2/").status_code == 403
    assert "/staff/evaluations/" not in client.get("/staff/").content.decode()


def test_anonymous_is_sent_to_log_in(two_quarters):
    reply = Client().get("/staff/evaluations/2026Q2/")

    assert reply.status_code == 302 and "/accounts/login/" in reply["Location"]


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMIN])
def test_managers_and_admins_find_it_in_the_nav_and_on_their_home(two_quarters, role):
    home = client_for(role).get("/staff/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert home.count('href="/staff/evaluations/"') == 2  # the nav and the manager block
