"""The next likely category of one customer, cheap enough for the customer 360 page.

The association rules (`analytics/basket/`) need every customer's categories, which takes
seconds at 100,000 customers; the rules themselves are a short list. So they are computed
from the customers per distinct category set (counted by the database) and kept in the
cache for each CLV run (computed with the run; again on a miss), and one customer's
suggestion is those rules applied to their own categories: one small query."""

from __future__ import annotations

import logging
from collections import Counter

from django.core.cache import cache
from django.db import connection

from analytics.basket import rules as basket
from analytics.models import Purchase

logger = logging.getLogger(__name__)

RULES_KEPT = 5000  # the strongest by confidence; a customer's best suggestion is among them
RULES_SECONDS = 60 * 60 * 24 * 60
_KEY = "analytics:category-rules:v1:run-{}"

# Customers per distinct set of categories bought (not refunds, not negative, not blank).
_SETS_SQL = (
    "SELECT categories, count(*) FROM ("
    " SELECT array_agg(DISTINCT category ORDER BY category) AS categories"
    " FROM analytics_purchase WHERE NOT is_refund AND amount >= 0 AND category <> ''"
    " GROUP BY customer_id) AS bought GROUP BY categories"
)


def category_sets() -> Counter:
    """frozenset of categories → customers who bought exactly those (a few hundred rows)."""
    if connection.vendor != "postgresql":  # the embedded default: the demo's few hundred
        bought: dict[int, set[str]] = {}
        for customer_id, category in _bought().values_list("customer_id", "category").distinct():
            bought.setdefault(customer_id, set()).add(category)
        return Counter(frozenset(categories) for categories in bought.values())
    with connection.cursor() as cursor:
        cursor.execute(_SETS_SQL)
        return Counter({frozenset(categories): count for categories, count in cursor.fetchall()})


def _packed(rules: list[basket.Rule]) -> list[tuple]:
    strongest = sorted(rules, key=lambda r: (-r.confidence, -r.lift, -r.count))[:RULES_KEPT]
    return [
        (r.antecedent, r.consequent, r.count, r.antecedent_count, r.consequent_count, r.customers)
        for r in strongest
    ]


def category_rules_keep(*, run_id: int, rules: list[basket.Rule] | None = None) -> list[tuple]:
    """Compute (unless given) the rules at the default thresholds and keep them for the run."""
    if rules is None:
        rules = basket.association_rules_of_sets(category_sets())
    packed = _packed(rules)
    cache.set(_KEY.format(run_id), packed, RULES_SECONDS)
    logger.info("category rules for CLV run %s: %d kept", run_id, len(packed))
    return packed


def category_rules(run_id: int) -> list[basket.Rule]:
    """The rules kept for a CLV run (computed and kept on a miss)."""
    packed = cache.get(_KEY.format(run_id))
    if packed is None:
        packed = category_rules_keep(run_id=run_id)
    return [basket.Rule(*row) for row in packed]


def _bought():
    """Purchases that count as buying a category: not refunds, not negative, not blank."""
    return Purchase.objects.order_by().filter(is_refund=False, amount__gte=0).exclude(category="")


def customer_categories(customer_id: int) -> set[str]:
    bought = _bought().filter(customer_id=customer_id)
    return set(bought.values_list("category", flat=True).distinct())


def customer_next_category(*, customer_id: int, run_id: int) -> basket.Suggestion | None:
    """The customer's likeliest next category with its evidence, or None when no rule applies."""
    owned = customer_categories(customer_id)
    if not owned:
        return None
    best = basket.next_categories(owned, category_rules(run_id), limit=1)
    return best[0] if best else None
