"""Drill-downs from every indicator (breakdowns with labels, the answers and customers behind
them through the results page's and the directory's own filters) and the running period set
against the same number of days of the previous one."""

import datetime as dt
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest

from analytics.evaluations.clv_runs import clv_fit
from analytics.evaluations.periods import local_midnight, local_today, period_containing
from analytics.evaluations.scorecard import evaluation_compute
from analytics.metrics.scorecard import STANDARD_INDICATORS
from analytics.models import Purchase
from surveyhub.security.roles import Role
from surveys.models import Response, ResponseStatus
from tests.analytics.workspace.conftest import client_for
from tests.factories import CustomerFactory, published_survey

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def text(response) -> str:
    body = response.content.decode()
    body = body[body.find("<main") :]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def links(response) -> list[str]:
    return [
        h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', response.content.decode())
    ]


def test_every_indicator_links_to_its_drill_down(manager, two_quarters):
    page = manager.get("/staff/evaluations/2026Q2/", **EN)

    for code in STANDARD_INDICATORS:
        assert f"/staff/evaluations/2026Q2/indicators/{code}/" in links(page), code
    for code in STANDARD_INDICATORS:
        assert manager.get(f"/staff/evaluations/2026Q2/indicators/{code}/", **EN).status_code == 200


def test_nps_breaks_down_by_region_and_channel_and_links_to_the_answers_behind_it(
    manager, two_quarters
):
    people = two_quarters["people"]
    for person, region in zip(people, ("上海", "上海", "北京", "北京", "廣州"), strict=False):
        person.region = region
        person.save(update_fields=["region"])
    evaluation_compute(period="2026Q2", force=True)
    survey = two_quarters["survey"]

    response = manager.get("/staff/evaluations/2026Q2/indicators/nps/", **EN)
    shown = text(response)

    # Q2's NPS answers: 10 and 10 in Shanghai, 9 and 7 in Beijing, 3 in 廣州 (traditional).
    by_region = r"By Region Region NPS n Behind it .*上海 100\.0 2 .*北京 50\.0 2 .*廣州 −100\.0 1"
    assert re.search(by_region, shown)
    assert "By Channel" in shown and "Link 40.0 5" in shown
    assert "By Store" in shown and "By Product category" in shown
    hrefs = links(response)
    results = [h for h in hrefs if h.startswith(f"/staff/surveys/{survey.pk}/results/")]
    query = [parse_qs(urlsplit(h).query) for h in results]
    assert {"from": ["2026-04-01"], "to": ["2026-06-30"], "nps_group": ["detractor"]} in query
    assert {"from": ["2026-04-01"], "to": ["2026-06-30"], "region": ["北京"]} in query
    assert "/staff/customers/?region=%E4%B8%8A%E6%B5%B7" in hrefs
    # The results page answers those links (its own filters), the directory too.
    detractors = next(h for h in results if "nps_group=detractor" in h)
    assert manager.get(detractors).status_code == 200
    assert manager.get("/staff/customers/?region=上海").status_code == 200


def test_loyalty_and_value_break_down_by_segment_tier_and_category_with_customer_links(
    manager, two_quarters
):
    run = clv_fit(as_of=dt.date(2026, 6, 30))
    evaluation_compute(period="2026Q2", force=True)

    repurchase = text(manager.get("/staff/evaluations/2026Q2/indicators/repurchase_rate/", **EN))
    clv = manager.get("/staff/evaluations/2026Q2/indicators/clv/", **EN)

    # Q2's buyers: person 0 twice (服装, 食品), person 1 once → 50% repurchase; within a
    # category nobody ordered twice: 服装 has both (0%), 食品 only person 0 (0%).
    assert repurchase.startswith(" Repurchase rate · Q2 2026") and " 50.0% Met " in repurchase
    assert re.search(r"By Product category .*服装 0\.0% 2 .*食品 0\.0% 1", repurchase)
    assert "By Channel This breakdown does not apply to this indicator." in repurchase
    assert "By Value tier" in repurchase and "_" not in re.sub(r"[a-z]+_[a-z]+/", "", repurchase)
    tiers = {v.value_tier for v in run.values.all()}
    assert any(f"/staff/customers/?value_tier={tier}" in links(clv) for tier in tiers)
    assert "By RFM segment" in text(clv)


def test_an_unknown_indicator_is_a_404_and_agents_are_refused(manager, two_quarters):
    assert manager.get("/staff/evaluations/2026Q2/indicators/vibes/").status_code == 404
    agent = client_for(Role.AGENT)
    assert agent.get("/staff/evaluations/2026Q2/indicators/nps/").status_code == 403


def _answer(survey, at, score, customer=None):
    Response.objects.create(
        survey=survey, version=survey.current_version, channel="link", customer=customer,
        status=ResponseStatus.COMPLETED, completed_at=at, nps_score=score,
    )  # fmt: skip


def test_the_running_period_is_also_set_against_the_same_days_of_the_previous_one(manager):
    running = period_containing(local_today())
    previous = running.previous()
    days = (local_today() - running.start).days + 1
    noon = dt.timedelta(hours=12)
    survey = published_survey(consent_text="")
    # The previous period: two promoters in its first days, two detractors after day `days`.
    _answer(survey, local_midnight(previous.start) + noon, 10)
    _answer(survey, local_midnight(previous.start) + noon, 9)
    late = min(previous.start + dt.timedelta(days=days), previous.end)
    _answer(survey, local_midnight(late) + noon, 0)
    _answer(survey, local_midnight(late) + noon, 1)
    # This period so far: one promoter, one detractor; one customer ordering twice.
    _answer(survey, local_midnight(running.start) + noon, 10)
    _answer(survey, local_midnight(running.start) + noon, 2)
    buyer = CustomerFactory()
    for n in range(2):
        Purchase.objects.create(
            customer=buyer, order_id=f"同天-{n}", amount=Decimal("88.00"),
            ordered_at=local_midnight(running.start) + noon, category="食品",
        )  # fmt: skip
    evaluation_compute(period=previous.code)
    evaluation_compute(period=running.code)

    shown = text(manager.get(f"/staff/evaluations/{running.code}/", **EN))

    assert f"Provisional: computed on day {days} of" in shown
    assert re.search(rf"The same {days} days? against the previous period", shown)
    end = min(previous.start + dt.timedelta(days=days - 1), previous.end)
    assert f"against {previous.start.isoformat()} to {end.isoformat()}" in shown
    # NPS: this period 0.0 (1 promoter, 1 detractor) against 100.0 in the first days before
    # (the whole previous period was 0.0: the cards' change says +0.0, the same days −100).
    if late > end:
        assert "NPS 0.0 100.0 −100.0 points" in shown
    else:  # the last day of a period as long as the one before: the windows are whole
        assert "NPS 0.0 0.0 ±0.0 points" in shown
    assert "Repurchase rate 100.0%" in shown


def test_the_nightly_run_keeps_each_snapshots_figures_and_drill_downs(manager, two_quarters):
    from analytics.evaluations.tasks import compute_evaluations
    from analytics.models import WorkspaceFigures

    compute_evaluations()

    kept = WorkspaceFigures.objects.filter(computed_on=local_today())
    assert kept.count() >= 2  # this quarter, the last one and this month
    for figures in kept:
        parts = figures.data["parts"]
        assert set(parts) == {f"drill:{code}" for code in STANDARD_INDICATORS}
        assert set(figures.data) >= {"samples", "headline", "cases", "same_days"}
    # The page reads the kept numbers: a purchase added afterwards is not counted until the
    # next run (the figures are the snapshot's, as of the night).
    running = period_containing(local_today())
    before = text(manager.get(f"/staff/evaluations/{running.code}/", **EN))
    Purchase.objects.create(customer=CustomerFactory(), order_id="夜间-1", amount=Decimal("9.90"),
                            ordered_at=local_midnight(running.start), category="食品")  # fmt: skip
    assert text(manager.get(f"/staff/evaluations/{running.code}/", **EN)) == before
