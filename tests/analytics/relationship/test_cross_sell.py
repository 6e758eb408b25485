"""Cross-sell on a small purchase set whose numbers are worked out by hand.

Categories per customer (refunds and an order without a category left out):
    c1 鞋靴 服饰 · c2 鞋靴 服饰 · c3 鞋靴 服饰 包袋 · c4 鞋靴 · c5 服饰 · c6 包袋 · c7 (none)
N = 6 customers with a category; 鞋靴 4, 服饰 4, 包袋 2; both 鞋靴 and 服饰: 3.
鞋靴 → 服饰: support 3/6 = 0.5, confidence 3/4 = 0.75, lift 0.75 ÷ 4/6 = 1.125.
包袋 → 鞋靴: count 1, confidence 1/2, lift 0.5 ÷ 4/6 = 0.75.

Quarters (Asia/Shanghai): Q1 2026 active c1 c2 c3 c4 → with ≥ 2 categories c2: 25 %.
Q2 2026 active c1 (服饰, 鞋靴) c3 (服饰, 包袋) c4 c5 c6 c7 → c1 and c3: 2/6. c6's 包袋 at
2026-03-31 17:00 UTC is 04-01 01:00 in Shanghai: Q2. Returning in Q2: c1 c3 c4; bought a
category new to them: c1 (服饰), c3 (服饰, 包袋) → 2/3.
"""

import datetime as dt
from decimal import Decimal

import pytest

from analytics.basket.rules import ThresholdError, Thresholds, association_rules, next_categories
from analytics.models import Purchase
from analytics.relationship.cross_sell import cross_sell_report
from surveyhub.api.tokens import api_token_create
from surveyhub.security.roles import Role
from tests.analytics.relationship.conftest import SHANGHAI
from tests.factories import CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db
UTC = dt.UTC
LOOSE = "min_count=1&min_support=0&min_confidence=0&min_lift=0"


def _at(month, day, hour=12, tz=SHANGHAI):
    return dt.datetime(2026, month, day, hour, tzinfo=tz)


@pytest.fixture
def shop(db):
    plan = {
        "c1": [("鞋靴", _at(1, 10)), ("服饰", _at(4, 10)), ("鞋靴", _at(6, 1))],
        "c2": [("鞋靴", _at(2, 10)), ("服饰", _at(2, 10, 15))],
        "c3": [("鞋靴", _at(1, 5)), ("服饰", _at(5, 5)), ("包袋", _at(5, 6))],
        "c4": [("鞋靴", _at(2, 1)), ("鞋靴", _at(5, 1))],
        "c5": [("服饰", _at(4, 20))],
        "c6": [("包袋", _at(3, 31, 17, UTC))],
        "c7": [("", _at(4, 2))],
    }
    customers = {}
    n = 0
    for key, orders in plan.items():
        customers[key] = CustomerFactory(external_id=key, name=f"客户{key}")
        for category, when in orders:
            n += 1
            Purchase.objects.create(customer=customers[key], order_id=f"X{n}", ordered_at=when,
                                    amount=Decimal("99.00"), category=category)  # fmt: skip
    # A refund is no purchase: c6 never "bought" 服饰, c1 not 家居.
    for key, category in (("c6", "服饰"), ("c1", "家居")):
        n += 1
        Purchase.objects.create(
            customer=customers[key], order_id=f"X{n}", ordered_at=_at(4, 3),
            amount=Decimal("-50.00"), category=category, is_refund=True,
        )  # fmt: skip
    return customers


@pytest.fixture
def api(db):
    _token, key = api_token_create(user=UserFactory(username="m", role=Role.MANAGER))
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def test_rules_support_confidence_lift_by_hand(shop):
    report = cross_sell_report(Thresholds(min_count=1, min_support=0, min_confidence=0, min_lift=0))
    assert report.customers == 6 and report.categories == 3
    rules = {(r.antecedent, r.consequent): r for r in report.rules}
    assert set(rules) == {("鞋靴", "服饰"), ("服饰", "鞋靴"), ("鞋靴", "包袋"), ("包袋", "鞋靴"),
                          ("服饰", "包袋"), ("包袋", "服饰")}  # fmt: skip
    shoes = rules[("鞋靴", "服饰")]
    assert (shoes.count, shoes.antecedent_count, shoes.consequent_count) == (3, 4, 4)
    assert shoes.support == pytest.approx(0.5)
    assert shoes.confidence == pytest.approx(0.75)
    assert shoes.lift == pytest.approx(1.125)
    bags = rules[("包袋", "鞋靴")]
    assert bags.confidence == pytest.approx(0.5) and bags.lift == pytest.approx(0.75)
    # The strongest link first.
    assert report.rules[0].lift == pytest.approx(1.125)


def test_thresholds_keep_rules_at_their_bounds(shop):
    def kept(**t):
        return {(r.antecedent, r.consequent) for r in cross_sell_report(Thresholds(**t)).rules}

    loose = dict(min_count=1, min_support=0, min_confidence=0, min_lift=0)
    assert kept(**{**loose, "min_count": 3}) == {("鞋靴", "服饰"), ("服饰", "鞋靴")}
    assert kept(**{**loose, "min_count": 4}) == set()
    assert kept(**{**loose, "min_support": 0.5}) == {("鞋靴", "服饰"), ("服饰", "鞋靴")}
    assert len(kept(**{**loose, "min_support": 1 / 6})) == 6
    # 包袋 → 鞋靴 and 包袋 → 服饰 have confidence 0.5; 鞋靴 → 包袋 and 服饰 → 包袋 0.25.
    assert kept(**{**loose, "min_confidence": 0.5}) == {
        ("鞋靴", "服饰"), ("服饰", "鞋靴"), ("包袋", "鞋靴"), ("包袋", "服饰")}  # fmt: skip
    assert kept(**{**loose, "min_lift": 1.125}) == {("鞋靴", "服饰"), ("服饰", "鞋靴")}
    assert kept(**{**loose, "min_lift": 1.13}) == set()
    # Defaults: at least 5 customers with both, so none here.
    assert kept() == set()


def test_next_category_per_customer_with_its_evidence(shop):
    report = cross_sell_report(Thresholds(min_count=1, min_support=0, min_confidence=0, min_lift=0))
    c4 = next_categories({"鞋靴"}, report.all_rules)
    assert [s.category for s in c4] == ["服饰", "包袋"]
    assert c4[0].confidence == pytest.approx(0.75)
    assert [(r.antecedent, r.consequent) for r in c4[0].evidence] == [("鞋靴", "服饰")]
    # 包袋 buyer: 鞋靴 and 服饰 both at 0.5 and lift 0.75 → ties broken by name (服 < 鞋).
    c6 = next_categories({"包袋"}, report.all_rules)
    assert [s.category for s in c6] == ["服饰", "鞋靴"]
    # Bought everything: nothing to suggest; two antecedents give two pieces of evidence.
    assert next_categories({"鞋靴", "服饰", "包袋"}, report.all_rules) == []
    both = next_categories({"鞋靴", "服饰"}, report.all_rules)
    assert [s.category for s in both] == ["包袋"]
    # 0.25 each, lift 0.75 each, 1 customer each: by the first category's name.
    assert [r.antecedent for r in both[0].evidence] == ["服饰", "鞋靴"]
    # Counts: c1 c2 → 包袋, c4 → 服饰, c5 → 鞋靴, c6 → 服饰.
    assert report.next_counts == [("包袋", 2), ("服饰", 2), ("鞋靴", 1)]


def test_cross_sell_rate_per_quarter_reuses_the_defined_rate(shop):
    trend = cross_sell_report(Thresholds()).trend
    assert [q.label for q in trend] == ["2026 Q1", "2026 Q2"]
    q1, q2 = trend
    assert (q1.active, q1.cross_sell_rate) == (4, pytest.approx(25.0))
    assert (q1.returning, q1.new_category_share) == (0, None)
    assert (q2.active, q2.cross_sell_rate) == (6, pytest.approx(100 * 2 / 6))
    assert (q2.returning, q2.new_category_buyers) == (3, 2)
    assert q2.new_category_share == pytest.approx(100 * 2 / 3)


def test_thresholds_out_of_range_name_the_field():
    for field, value in (("min_support", 1.01), ("min_confidence", -0.1), ("min_count", 0),
                         ("min_lift", -1)):  # fmt: skip
        with pytest.raises(ThresholdError) as caught:
            Thresholds(**{field: value})
        assert caught.value.field == field
    assert association_rules({}, Thresholds()) == []


def test_the_api_answers_with_rules_trend_and_a_customers_next_category(shop, api, client):
    url = f"/api/v1/analytics/cross-sell/?{LOOSE}&category=鞋靴&customer={shop['c4'].pk}"
    data = client.get(url, **api).json()
    assert [(r["antecedent"], r["consequent"]) for r in data["rules"]] == [
        ("鞋靴", "服饰"), ("鞋靴", "包袋")]  # fmt: skip
    first = data["rules"][0]
    assert (first["support"], first["confidence"], first["lift"]) == (0.5, 0.75, 1.125)
    assert first["customers_both"] == 3
    assert first["in_words"] == "买了「鞋靴」的客户 75% 也买「服饰」（提升度 1.1）"
    assert data["customers"] == 6
    assert [q["cross_sell_rate"] for q in data["trend"]] == [25.0, 33.33]
    assert data["trend"][1]["new_category_share"] == 66.67
    assert data["customer"]["categories"] == ["鞋靴"]
    assert data["customer"]["next"][0]["category"] == "服饰"
    assert data["customer"]["next"][0]["evidence"][0]["antecedent"] == "鞋靴"
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en", **api).json()
    assert english["rules"][0]["in_words"] == (
        "Customers who bought “鞋靴”: 75% also bought “服饰” (lift 1.1)")  # fmt: skip


@pytest.mark.parametrize(
    "query, field",
    [("category=不存在", "category"), ("min_support=1.5", "min_support"),
     ("min_confidence=-0.2", "min_confidence"), ("min_count=0", "min_count"),
     ("min_count=abc", "min_count"), ("min_lift=nan", "min_lift"), ("min_lift=1001", "min_lift"),
     ("customer=999999", "customer"), ("customer=x", "customer")],
)  # fmt: skip
def test_bad_input_is_a_400_naming_the_field(shop, api, client, query, field):
    reply = client.get(f"/api/v1/analytics/cross-sell/?{query}", **api)
    assert reply.status_code == 400
    assert list(reply.json()["errors"]) == [field]


def test_agents_may_not_read_it(shop, client):
    _token, key = api_token_create(user=UserFactory(username="a", role=Role.AGENT))
    reply = client.get("/api/v1/analytics/cross-sell/", HTTP_AUTHORIZATION=f"Token {key}")
    assert reply.status_code == 403
    client.force_login(UserFactory(username="agent2", role=Role.AGENT))
    assert client.get("/staff/customers/cross-sell/").status_code == 403


def test_the_page_shows_rules_in_words_next_categories_and_the_trend(shop, manager_client):
    page = manager_client.get(f"/staff/customers/cross-sell/?{LOOSE}").content.decode()
    assert "买了「鞋靴」的客户 75% 也买「服饰」（提升度 1.1）" in page
    assert "买了「包袋」的客户 50% 也买「鞋靴」（提升度 0.8）" in page
    assert "2026年第1季度" in page and "2026年第2季度" in page
    assert "25.0%" in page and "33.3%" in page and "66.7% (2/3)" in page
    # Defaults (5 customers with both): no rule, said in words.
    default = manager_client.get("/staff/customers/cross-sell/").content.decode()
    assert "没有规则达到这些阈值" in default and "买了「" not in default
    # Linked from the other relationship pages.
    assert 'href="/staff/customers/cross-sell/"' in manager_client.get(
        "/staff/customers/lifecycle/").content.decode()  # fmt: skip


def test_the_page_refuses_bad_thresholds_in_words(shop, manager_client):
    page = manager_client.get("/staff/customers/cross-sell/?min_support=2").content.decode()
    assert "请更正上面的数值" in page and "买了「" not in page
    assert "确保该值小于或等于1。" in page  # the field's own message names the bound
