"""The workspace shows churn risk and lifecycle stages of the CLV run behind the value
dimension (issue #16: "on the evaluation workspace's value and loyalty dimensions"), kept with
the workspace figures, on the page in both languages and in the API."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from analytics.evaluations.scorecard import evaluation_compute
from analytics.models import ClvRun, CustomerValue
from tests.analytics.workspace.conftest import local, manager, two_quarters  # noqa: F401
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

# (stage, band, value at stake) of six customers.
PEOPLE = [
    ("new", "low", "0"), ("growing", "low", "10"), ("mature", "medium", "20"),
    ("declining", "high", "300.50"), ("lost", "high", "1200"), ("mature", "high", "0"),
]  # fmt: skip


def _run(as_of: dt.date) -> ClvRun:
    run = ClvRun.objects.create(as_of=as_of, r=1, alpha=1, a=1, b=1, bgnbd_log_likelihood=0,
                                n_customers=len(PEOPLE), churn_horizon_days=90)  # fmt: skip
    for i, (stage, band, stake) in enumerate(PEOPLE):
        CustomerValue.objects.create(
            run=run, customer=CustomerFactory(name=f"客戶{i}"), frequency=1, recency=1, T=1,
            monetary=1, recency_days=1, orders=1, spend=1, r_score=1, f_score=1, m_score=1,
            rfm_segment="general_keep", p_alive=1, expected_orders_1y=1, clv=1,
            value_tier="low", churn_risk=0.9 if band == "high" else 0.2, churn_band=band,
            value_at_stake=Decimal(stake), lifecycle_stage=stage,
        )  # fmt: skip
    return run


def _block(page) -> str:
    body = page.content.decode()
    found = re.search(
        r'<section class="ws-block" aria-labelledby="ws-relationship">(.*?)</section>', body, re.S
    )
    assert found, "no churn and lifecycle block"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1)))


def test_the_period_shows_the_stages_and_the_high_risk_customers_of_its_run(
    manager,  # noqa: F811
    two_quarters,  # noqa: F811
):
    _run(dt.date(2026, 6, 30))
    evaluation_compute(period="2026Q2")  # the snapshot now stands on that run
    zh = _block(manager.get("/staff/evaluations/2026Q2/"))
    en = _block(manager.get("/staff/evaluations/2026Q2/", HTTP_ACCEPT_LANGUAGE="en"))

    assert "3 位客户在未来 90 天内不再购买的风险高" in zh
    assert "风险价值 ¥1,500" in zh  # 300.50 + 1,200 + 0 in the high band, to the yuan
    assert "成熟 2 33.3%" in zh and "流失 1 16.7%" in zh and "挽回 0 0.0%" in zh
    assert "3 customers at high risk of buying nothing in the next 90 days" in en
    assert "Mature 2 33.3%" in en
    assert "/staff/customers/at-risk/" in manager.get("/staff/evaluations/2026Q2/").content.decode()

    body = manager.get("/api/v1/evaluations/2026Q2/").json()
    block = body.get("relationship") or body["scorecard"]["relationship"]
    assert block["high_risk"] == 3 and block["customers"] == 6
    assert block["value_at_stake"] == pytest.approx(1500.5)
    assert [s["customers"] for s in block["stages"]] == [1, 1, 2, 1, 1, 0]


def test_without_a_run_there_is_no_block(manager, two_quarters):  # noqa: F811
    assert (
        'aria-labelledby="ws-relationship"'
        not in manager.get("/staff/evaluations/2026Q2/").content.decode()
    )
