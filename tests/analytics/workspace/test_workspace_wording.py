"""Small wording of the workspace: a sample of one reads "n = 1 answer" (plural forms, en and
zh), and the value-at-risk card is red only when there is value at risk."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from analytics.models import ClvRun, CustomerValue
from tests.analytics.workspace.test_workspace_page import text

pytestmark = pytest.mark.django_db


def risk_card(client) -> str:
    body = client.get("/staff/evaluations/2026Q2/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    return re.search(r'<div class="ws-card ws-risk[^"]*">', body).group(0)


def test_a_sample_of_one_is_singular_and_larger_ones_plural(manager, two_quarters):
    shown = text(manager.get("/staff/evaluations/2026Q2/", HTTP_ACCEPT_LANGUAGE="en"))

    ces = shown[shown.find("CES Met") :]
    assert "n = 1 answer " in ces and "n = 1 answers" not in shown  # Q2's one CES answer
    assert "n = 5 answers" in shown and "n = 2 customers" in shown  # NPS; cross-sell buyers
    zh = text(manager.get("/staff/evaluations/2026Q2/", HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert "n = 1 个回答" in zh and "n = 5 个回答" in zh


def test_the_value_at_risk_card_is_neutral_at_zero_and_red_above(manager, two_quarters):
    # No CLV run yet: the detractors' CLV is ¥0 — nothing at risk, no alarm colour.
    assert "ws-missed" not in risk_card(manager)
    detractor = two_quarters["people"][4]  # answered 3 in Q2
    run = ClvRun.objects.create(as_of=dt.date(2026, 6, 30), r=1, alpha=1, a=1, b=1,
                                bgnbd_log_likelihood=0, n_customers=1)  # fmt: skip
    CustomerValue.objects.create(
        run=run, customer=detractor, frequency=1, recency=1, T=10, monetary=1, recency_days=3,
        orders=1, spend=Decimal("1"), r_score=3, f_score=3, m_score=3,
        rfm_segment="important_value", p_alive=1, expected_orders_1y=1, clv=Decimal("850.00"),
        value_tier="high",
    )  # fmt: skip
    from analytics.models import WorkspaceFigures

    WorkspaceFigures.objects.all().delete()  # the kept headline was computed without the run
    assert "ws-missed" in risk_card(manager)
    assert "¥850" in text(manager.get("/staff/evaluations/2026Q2/", HTTP_ACCEPT_LANGUAGE="en"))
