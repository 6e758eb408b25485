"""CSAT top-2-box (4–5 of 1–5) and the CES "easy" share (5–7 of 1–7) at their edges, through
every surface that reads them: the public submit's follow-up questions, the metric summary
and trend APIs, the RFM API and the quarterly evaluation.

The rules are defined once (surveys.scoring.rules: `csat_satisfied`, `ces_easy`). The data:
three customers answered CSAT 3, 4 and 5 (top-2-box 2 of 3) and CES 4, 5 and 4 (easy 1 of 3)
in May 2026. Moving a threshold by one — CSAT 4→3 or 4→5, CES 5→4 or 5→6 — changes every
share read here.
"""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from analytics.evaluations.scorecard import evaluation_compute
from analytics.models import ClvRun, CustomerValue
from surveys.models import Response, ResponseStatus
from tests.factories import CustomerFactory, published_survey

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MAY = dt.datetime(2026, 5, 10, 12, tzinfo=SHANGHAI)
ANSWERS = ((3, 4), (4, 5), (5, 4))  # (CSAT, CES) of each customer
CSAT_TOP2 = 100 * 2 / 3  # 4 and 5
CES_EASY = 100 * 1 / 3  # the 5


@pytest.fixture
def answers(db):
    survey = published_survey("service_csat", consent_text="")
    run = ClvRun.objects.create(
        as_of=dt.date(2026, 5, 31), r=1, alpha=1, a=1, b=1, bgnbd_log_likelihood=0,
        n_customers=3,
    )  # fmt: skip
    for minute, (csat, ces) in enumerate(ANSWERS):
        customer = CustomerFactory()
        Response.objects.create(
            survey=survey, version=survey.current_version, customer=customer, channel="link",
            status=ResponseStatus.COMPLETED, completed_at=MAY + dt.timedelta(minutes=minute),
            csat_score=csat, ces_score=ces,
        )  # fmt: skip
        CustomerValue.objects.create(
            run=run, customer=customer, frequency=2, recency=10.0, T=20.0, monetary=100.0,
            recency_days=5, orders=3, spend=Decimal("900"), r_score=3, f_score=3, m_score=3,
            rfm_segment="important_value", p_alive=0.9, expected_orders_1y=2.0,
            clv=Decimal("1000"), value_tier="high",
        )  # fmt: skip
    return run


def _submit(client, template: str, answers: dict) -> set[str]:
    """Submit through the public JSON endpoint; the keys of the answers that were kept."""
    survey = published_survey(template, consent_text="")
    reply = client.post(
        f"/api/v1/public/surveys/{survey.slug}/responses/", {"answers": answers},
        content_type="application/json",
    )  # fmt: skip
    assert reply.status_code == 201, reply.json()
    response = Response.objects.get(pk=reply.json()["id"])
    return set(response.answers.values_list("question_key", flat=True))


# Respondents: the follow-up question is asked below the top-2-box / below "easy" ----------


@pytest.mark.parametrize(("csat", "asked"), [(3, True), (4, False), (5, False)])
def test_what_could_we_do_better_is_asked_below_the_top_2_box(client, csat, asked):
    kept = _submit(client, "service_csat", {"csat": csat, "resolved": "yes", "improve": "慢"})

    assert ("improve" in kept) is asked


@pytest.mark.parametrize(("ces", "asked"), [(4, True), (5, False)])
def test_which_step_took_effort_is_asked_below_easy(client, ces, asked):
    kept = _submit(client, "ces", {"ces": ces, "hardest": "填表"})

    assert ("hardest" in kept) is asked


# Managers --------------------------------------------------------------------------------


def test_the_metric_summary_counts_4_and_5_as_satisfied_and_5_to_7_as_easy(api, answers):
    data = api(reverse("metrics-summary"), **{"from": "2026-05-01", "to": "2026-05-31"})

    assert data["csat"]["value"] == pytest.approx(CSAT_TOP2, abs=1e-3)
    assert (data["csat"]["mean"], data["csat"]["n"]) == (4.0, 3)
    assert data["ces"]["easy_share"] == pytest.approx(CES_EASY, abs=1e-3)
    assert data["ces"]["n"] == 3


def test_the_csat_trend_reads_the_same_top_2_box(api, answers):
    (point,) = api(reverse("metrics-trend"), metric="csat", interval="month")

    assert (point["period"], point["n"]) == ("2026-05", 3)
    assert point["value"] == pytest.approx(CSAT_TOP2, abs=1e-3)


def test_the_rfm_api_gives_each_segment_its_top_2_box(api, answers):
    data = api(reverse("analytics-rfm"), as_of="2026-05-31")

    segment = next(s for s in data["segments"] if s["code"] == "important_value")
    assert segment["csat"]["n"] == 3
    assert segment["csat"]["value"] == pytest.approx(CSAT_TOP2, abs=1e-3)


def test_the_quarterly_evaluation_reads_the_same_shares(answers):
    snapshot = evaluation_compute(period="2026Q2")

    indicators = {row["code"]: row["value"] for row in snapshot.result["indicators"]}
    assert indicators["csat"] == pytest.approx(CSAT_TOP2, abs=1e-3)
    (tier,) = snapshot.segments["value_tier"]
    assert tier["csat"]["value"] == pytest.approx(CSAT_TOP2, abs=1e-3)
    assert tier["ces"]["easy_share"] == pytest.approx(CES_EASY, abs=1e-3)
