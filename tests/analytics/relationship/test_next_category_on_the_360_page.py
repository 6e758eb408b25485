"""The next likely category on the customer 360 page's Value panel: the category rules are kept
with each CLV run (the same rules as the cross-sell report, counted by the database per
category set) and applied to one customer's own categories."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache

from analytics.basket.rules import Thresholds
from analytics.evaluations.clv_runs import clv_fit
from analytics.models import Purchase
from analytics.relationship.cross_sell import cross_sell_report
from analytics.relationship.next_category import category_rules, customer_next_category
from tests.analytics.relationship.conftest import AS_OF, SHANGHAI

pytestmark = pytest.mark.django_db


def _buy(customer, category, n):
    Purchase.objects.create(
        customer=customer, order_id=f"X{customer.pk}-{n}", category=category,
        ordered_at=dt.datetime(2026, 3, 1, 10, tzinfo=SHANGHAI), amount=Decimal("99"),
    )  # fmt: skip


@pytest.fixture
def categories(history):
    """On top of everyone's 服装: 40 bought 数码, 30 of those also 配件; 20 bought 家居."""
    for n, customer in enumerate(history[:40]):
        _buy(customer, "数码", 1)
        if n < 30:
            _buy(customer, "配件", 2)
    for customer in history[100:120]:
        _buy(customer, "家居", 3)
    # A refund teaches nothing: customer 39 returned 配件.
    Purchase.objects.create(
        customer=history[39], order_id="R1", category="配件", is_refund=True,
        ordered_at=dt.datetime(2026, 3, 2, 10, tzinfo=SHANGHAI), amount=Decimal("-99"),
    )  # fmt: skip
    return history


def test_a_clv_run_keeps_the_same_rules_as_the_cross_sell_report(categories):
    run = clv_fit(as_of=AS_OF)

    assert cache.get(f"analytics:category-rules:v1:run-{run.pk}")  # kept with the run
    kept = {(r.antecedent, r.consequent, r.count, r.customers) for r in category_rules(run.pk)}
    report = cross_sell_report(Thresholds()).all_rules
    assert kept == {(r.antecedent, r.consequent, r.count, r.customers) for r in report}
    assert ("数码", "配件", 30, 160) in kept


def test_the_value_panel_shows_the_next_category_with_its_confidence_and_evidence(
    categories, manager_client
):
    run = clv_fit(as_of=AS_OF)
    digital_only = categories[35]  # bought 服装 and 数码, not 配件

    suggestion = customer_next_category(customer_id=digital_only.pk, run_id=run.pk)
    assert suggestion.category == "配件"
    assert suggestion.confidence == pytest.approx(30 / 40)
    assert "数码" in {rule.antecedent for rule in suggestion.evidence}

    page = manager_client.get(f"/staff/customers/{digital_only.pk}/").content.decode()
    panel = page.split("下一个可能购买的品类")[1].split("</dd>")[0]
    assert "<b>配件</b>" in panel and "置信度 75%" in panel and "“数码”" in panel
    english = manager_client.get(
        f"/staff/customers/{digital_only.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Next likely category" in english and "confidence 75%" in english

    # The cache emptied (Redis restarted): computed again for the run, same answer.
    cache.clear()
    page = manager_client.get(f"/staff/customers/{digital_only.pk}/").content.decode()
    assert "<b>配件</b>" in page.split("下一个可能购买的品类")[1].split("</dd>")[0]


def test_no_rule_applies_says_none_yet(categories, manager_client):
    has_all = categories[0]
    _buy(has_all, "家居", 4)  # every category: nothing left the rules point to
    run = clv_fit(as_of=AS_OF)

    assert customer_next_category(customer_id=has_all.pk, run_id=run.pk) is None
    page = manager_client.get(f"/staff/customers/{has_all.pk}/").content.decode()
    panel = page.split("下一个可能购买的品类")[1].split("</dd>")[0]
    assert "暂无" in panel and "<b>" not in panel
