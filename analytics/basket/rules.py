"""Category association rules over customer histories (every category a customer ever bought,
refunds and orders without a category left out) and the next likely category per customer.

A rule "A → B" over N customers with at least one category:
- count = customers who bought both A and B; support = count ÷ N;
- confidence = count ÷ customers who bought A (of those who bought A, the share who bought B);
- lift = confidence ÷ (customers who bought B ÷ N): how much likelier B is after A than for
  anybody (1 = no link).
A rule is kept when count ≥ ``min_count``, support ≥ ``min_support``, confidence ≥
``min_confidence`` and lift ≥ ``min_lift``. Antecedents are single categories: the rules stay
readable ("bought A, also bought B") and each is backed by enough customers.

The next likely category of a customer is the category they have not bought with the highest
confidence among the kept rules whose antecedent they have bought (ties: higher lift, then more
customers, then the name); its evidence is every such rule, strongest first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import permutations

DEFAULT_MIN_SUPPORT = 0.01
DEFAULT_MIN_COUNT = 5
DEFAULT_MIN_CONFIDENCE = 0.1
DEFAULT_MIN_LIFT = 1.0
MAX_MIN_LIFT = 1000.0


class ThresholdError(ValueError):
    """A threshold out of its range; ``field`` names it."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Thresholds:
    min_support: float = DEFAULT_MIN_SUPPORT
    min_count: int = DEFAULT_MIN_COUNT
    min_confidence: float = DEFAULT_MIN_CONFIDENCE
    min_lift: float = DEFAULT_MIN_LIFT

    def __post_init__(self) -> None:
        for name in ("min_support", "min_confidence"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ThresholdError(name, f"{name} must be between 0 and 1, got {value}")
        if isinstance(self.min_count, bool) or not isinstance(self.min_count, int):
            raise ThresholdError("min_count", f"min_count must be an integer, got {self.min_count}")
        if self.min_count < 1:
            raise ThresholdError("min_count", f"min_count must be at least 1, got {self.min_count}")
        if not 0.0 <= self.min_lift <= MAX_MIN_LIFT:
            raise ThresholdError(
                "min_lift", f"min_lift must be between 0 and {MAX_MIN_LIFT:g}, got {self.min_lift}"
            )


@dataclass(frozen=True)
class Rule:
    antecedent: str
    consequent: str
    count: int
    antecedent_count: int
    consequent_count: int
    customers: int

    @property
    def support(self) -> float:
        return self.count / self.customers

    @property
    def confidence(self) -> float:
        return self.count / self.antecedent_count

    @property
    def lift(self) -> float:
        return self.confidence * self.customers / self.consequent_count


@dataclass(frozen=True)
class Suggestion:
    category: str
    confidence: float
    lift: float
    evidence: tuple[Rule, ...]


def _strength(rule: Rule) -> tuple:
    return (-rule.confidence, -rule.lift, -rule.count, rule.antecedent, rule.consequent)


def histories_from_pairs(pairs: Iterable[tuple[object, str | None]]) -> dict[object, set[str]]:
    """(customer, category) pairs → each customer's set of categories (blank ones dropped)."""
    histories: dict[object, set[str]] = {}
    for customer, category in pairs:
        if category:
            histories.setdefault(customer, set()).add(category)
    return histories


def category_counts(histories: Mapping[object, set[str]]) -> Counter:
    """Customers per category."""
    return _counts_of(_category_sets(histories))


def _category_sets(histories: Mapping[object, set[str]]) -> Counter:
    """Customers per distinct category set: a few hundred sets for 100,000 customers, so the
    counting below loops over those, not over the customers."""
    return Counter(map(frozenset, histories.values()))


def _counts_of(sets: Counter) -> Counter:
    counts: Counter = Counter()
    for categories, customers in sets.items():
        for category in categories:
            counts[category] += customers
    return counts


def association_rules(
    histories: Mapping[object, set[str]], thresholds: Thresholds | None = None
) -> list[Rule]:
    """Every kept rule A → B, by lift, then confidence, then customers (most first)."""
    return association_rules_of_sets(_category_sets(histories), thresholds)


def association_rules_of_sets(sets: Counter, thresholds: Thresholds | None = None) -> list[Rule]:
    """The same rules from customers per distinct category set (what a database can count
    without sending every customer)."""
    thresholds = thresholds or Thresholds()
    merged: Counter = Counter()
    for categories, many in sets.items():
        if categories:  # customers without a category count for nothing
            merged[frozenset(categories)] += many
    sets = merged
    customers = sum(sets.values())
    if not customers:
        return []
    singles = _counts_of(sets)
    pairs: Counter = Counter()
    for categories, many in sets.items():
        for pair in permutations(sorted(categories), 2):
            pairs[pair] += many
    rules = []
    for (antecedent, consequent), count in pairs.items():
        rule = Rule(antecedent, consequent, count, singles[antecedent], singles[consequent],
                    customers)  # fmt: skip
        if (
            count >= thresholds.min_count
            and rule.support >= thresholds.min_support
            and rule.confidence >= thresholds.min_confidence
            and rule.lift >= thresholds.min_lift
        ):
            rules.append(rule)
    rules.sort(key=lambda r: (-r.lift, -r.confidence, -r.count, r.antecedent, r.consequent))
    return rules


def _by_antecedent(rules: Iterable[Rule]) -> dict[str, list[Rule]]:
    index: dict[str, list[Rule]] = {}
    for rule in rules:
        index.setdefault(rule.antecedent, []).append(rule)
    return index


def _suggest(owned: set[str], index: dict[str, list[Rule]], limit: int) -> list[Suggestion]:
    evidence: dict[str, list[Rule]] = {}
    for category in owned:
        for rule in index.get(category, ()):
            if rule.consequent not in owned:
                evidence.setdefault(rule.consequent, []).append(rule)
    suggestions = []
    for category, backing in evidence.items():
        backing.sort(key=_strength)
        best = backing[0]
        suggestions.append(Suggestion(category, best.confidence, best.lift, tuple(backing)))
    suggestions.sort(key=lambda s: (-s.confidence, -s.lift, -s.evidence[0].count, s.category))
    return suggestions[:limit]


def next_categories(
    owned: Iterable[str], rules: Iterable[Rule], *, limit: int = 3
) -> list[Suggestion]:
    """The categories a customer who bought ``owned`` may buy next, likeliest first."""
    return _suggest(set(owned), _by_antecedent(rules), limit)


def next_category_counts(
    histories: Mapping[object, set[str]], rules: Iterable[Rule]
) -> list[tuple[str, int]]:
    """How many customers have each category as their next likely one (most first)."""
    index = _by_antecedent(rules)
    counts: Counter = Counter()
    # Customers share category sets (a few hundred sets for 100,000 customers): one each.
    for categories, customers in _category_sets(histories).items():
        best = _suggest(set(categories), index, 1)
        if best:
            counts[best[0].category] += customers
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
