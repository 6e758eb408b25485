"""Loyalty, RFM and satisfaction × behaviour from purchases, through the query layer."""

import datetime as dt
from decimal import Decimal

import pytest

from analytics.evaluations.periods import period_parse
from analytics.metric_queries.purchase_metrics import loyalty_summary, rfm_as_of, rfm_report
from analytics.metric_queries.satisfaction_value import behaviour_by_nps_group, value_at_risk
from tests.analytics.evaluations.conftest import local

pytestmark = pytest.mark.django_db

Q2 = period_parse("2026Q2")


def test_loyalty_counts_orders_not_refunds(customer, buy, respond):
    a, b, c, d = customer(), customer(), customer(), customer()
    buy(a, local(2026, 2, 1))
    buy(a, local(2026, 4, 2), category="服装")
    buy(a, local(2026, 6, 30, 23, 59), category="食品")
    buy(b, local(2026, 3, 31, 23, 59))  # Q1 in Shanghai: churns
    buy(c, local(2026, 5, 1))
    buy(c, local(2026, 5, 2), amount="-100.00", category="食品")  # a refund is not an order
    buy(d, local(2026, 5, 3), amount="-20.00")  # refund only: not active
    for score in (10, 8, 5, 3):
        respond(nps=score, at=local(2026, 5, 5))

    result = loyalty_summary(period=Q2)

    assert result.active_customers == 2
    assert result.repurchase_rate == 50.0
    assert result.retention_rate == 50.0 and result.churn_rate == 50.0
    assert result.cross_sell_rate == 50.0
    assert result.promoter_share == 25.0


def test_loyalty_without_purchases_or_answers_is_empty(db):
    result = loyalty_summary(period=Q2)

    assert result.repurchase_rate is None and result.retention_rate is None
    assert result.promoter_share is None and result.active_customers == 0


def test_rfm_quintile_ties_break_by_customer_id(customer, buy):
    people = [customer() for _ in range(5)]
    for person in people:
        buy(person, local(2026, 6, 1), amount="100.00")

    table = rfm_as_of(dt.date(2026, 6, 30))

    ordered = table.loc[[p.pk for p in people]]
    assert ordered["r_score"].tolist() == [1, 2, 3, 4, 5]
    assert ordered["f_score"].tolist() == [1, 2, 3, 4, 5]
    assert ordered["m_score"].tolist() == [1, 2, 3, 4, 5]
    assert set(ordered["recency_days"]) == {29}


def test_rfm_of_one_customer_nets_refunds_and_ignores_later_orders(customer, buy):
    only = customer()
    buy(only, local(2026, 6, 1), amount="300.00")
    buy(only, local(2026, 6, 2), amount="-100.00")
    buy(only, local(2026, 7, 2), amount="999.00")  # after the as-of date

    row = rfm_as_of(dt.date(2026, 6, 30)).loc[only.pk]

    assert (row["recency_days"], row["frequency"], row["monetary"]) == (29, 1, 200.0)
    assert (row["r_score"], row["f_score"], row["m_score"]) == (5, 5, 5)
    assert row["segment_code"] == "general_retain"  # at the mean is not above it


def test_rfm_report_lays_nps_over_segments(customer, buy, respond):
    loyal, lapsed = customer(), customer()
    for day in (1, 10, 20):
        buy(loyal, local(2026, 6, day), amount="500.00")
    buy(lapsed, local(2025, 6, 1), amount="50.00")
    respond(nps=10, customer=loyal)
    respond(nps=2, customer=lapsed)

    rows = {row["code"]: row for row in rfm_report(as_of=dt.date(2026, 6, 30))}

    assert rows["important_value"]["customers"] == 1
    assert rows["important_value"]["nps"].value == 100.0
    assert rows["general_retain"]["nps"].value == -100.0
    assert rows["important_value"]["revenue_share"] == pytest.approx(1500 / 1550 * 100)
    assert len(rows) == 8


def test_promoters_are_retained_and_detractors_are_not(customer, buy, respond):
    promoter, detractor, passive = customer(), customer(), customer()
    for person in (promoter, detractor, passive):
        buy(person, local(2026, 5, 1))
    buy(promoter, local(2026, 8, 1))
    buy(promoter, local(2026, 9, 1))
    buy(passive, local(2026, 8, 1))
    respond(nps=3, customer=promoter, at=local(2026, 4, 2))  # changed their mind later
    respond(nps=10, customer=promoter, at=local(2026, 6, 2))
    respond(nps=2, customer=detractor, at=local(2026, 6, 2))
    respond(nps=7, customer=passive, at=local(2026, 6, 2))

    result = behaviour_by_nps_group(period=Q2)

    assert result["promoter"] == {
        "customers": 1,
        "retention_rate": 100.0,
        "repurchase_rate_next_period": 100.0,
    }
    assert result["passive"]["retention_rate"] == 100.0
    assert result["passive"]["repurchase_rate_next_period"] == 0.0
    assert result["detractor"]["retention_rate"] == 0.0


def test_value_at_risk_sums_detractors_revenue_in_the_period(customer, buy, respond):
    detractor, promoter = customer(), customer()
    buy(detractor, local(2026, 5, 1), amount="300.00")
    buy(detractor, local(2026, 1, 1), amount="900.00")  # another period
    buy(promoter, local(2026, 5, 1), amount="500.00")
    respond(nps=1, customer=detractor, at=local(2026, 5, 3))
    respond(nps=10, customer=promoter, at=local(2026, 5, 3))

    risk = value_at_risk(period=Q2)

    assert risk.detractors == 1 and risk.detractor_revenue == Decimal("300.00")
    assert risk.open_case_customers == 0  # the hook until feedback has cases


def test_rfm_report_reads_a_clv_run_of_that_day_with_the_same_numbers(customer, buy, respond):
    from analytics.evaluations.clv_runs import clv_fit

    people = [customer() for _ in range(6)]
    for i, person in enumerate(people):
        for k in range(i % 3 + 1):
            buy(person, local(2026, 1 + 2 * k, 1 + i), amount=f"{100 + 50 * i}.00")
        respond(nps=(10, 9, 8, 6, 3, 10)[i], customer=person)
    live = rfm_report(as_of=dt.date(2026, 6, 30))
    clv_fit(as_of=dt.date(2026, 6, 30))

    stored = rfm_report(as_of=dt.date(2026, 6, 30))

    def key(rows):
        return [(r["code"], r["customers"], round(r["revenue_share"], 6), r["nps"].n,
                 r["nps"].value) for r in rows]  # fmt: skip

    assert key(stored) == key(live)
