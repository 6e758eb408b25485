"""Case priority from severity and the customer's value tier.

`feedback` cannot import `analytics`, which knows the value tier (RFM, CLV): analytics
registers a provider in its AppConfig.ready():

    from feedback.cases.priority import register_value_tier_provider
    register_value_tier_provider(lambda customer: "high" | "medium" | "low" | None,
                                 many=lambda customers: {customer.pk: tier, ...})

`many` (optional) answers for a list of customers at once, so that the case rules of an
outbox chunk read the tiers in one go. Until one answers, the tier is the customer
attribute `value_tier` (from imports).
"""

from collections.abc import Callable, Iterable, Sequence
from typing import Any

PRIORITIES = ("P1", "P2", "P3")  # most urgent first
HIGH_VALUE_TIERS = frozenset({"high", "vip", "高", "高价值", "重要价值客户"})

OneProvider = Callable[[Any], str | None]
ManyProvider = Callable[[Sequence[Any]], dict[int, str | None]]

_providers: list[OneProvider] = []
_many: dict[OneProvider, ManyProvider] = {}


def register_value_tier_provider(provider: OneProvider, *, many: ManyProvider | None = None):
    """`provider(customer) -> str | None`: the customer's value tier, None if unknown;
    `many(customers) -> {customer pk: tier}`: the same for many customers at once."""
    if provider not in _providers:
        _providers.append(provider)
    if many is not None:
        _many[provider] = many


def unregister_value_tier_provider(provider: OneProvider) -> None:
    if provider in _providers:
        _providers.remove(provider)
    _many.pop(provider, None)


def value_tier(customer) -> str:
    """The first tier a provider knows, else the `value_tier` attribute, else ""."""
    if customer is None:
        return ""
    for provider in _providers:
        tier = provider(customer)
        if tier:
            return str(tier)[:32]
    return _attribute_tier(customer)


def _attribute_tier(customer) -> str:
    attributes = customer.attributes if isinstance(customer.attributes, dict) else {}
    return str(attributes.get("value_tier") or "")[:32]


def value_tiers(customers: Iterable[Any]) -> dict[int, str]:
    """`value_tier` of many customers ({pk: tier}), each provider asked once for all of them
    when it answers for many."""
    known = {c.pk: c for c in customers if c is not None}
    tiers: dict[int, str] = {}
    for provider in _providers:
        waiting = [c for pk, c in known.items() if pk not in tiers]
        if not waiting:
            break
        many = _many.get(provider)
        found = many(waiting) if many else {c.pk: provider(c) for c in waiting}
        tiers.update({pk: str(tier)[:32] for pk, tier in found.items() if tier and pk not in tiers})
    for pk, customer in known.items():
        tiers.setdefault(pk, _attribute_tier(customer))
    return tiers


def is_high_value(tier: str) -> bool:
    return tier.strip().lower() in HIGH_VALUE_TIERS


def case_priority(*, severe: bool, bumps: Iterable[int], tier: str) -> str:
    """P3 by default; one step up for a severe score (NPS ≤ 3, CSAT 1, CES 1), for a
    high-value customer, and by the largest bump of the matched rules (escalation words)."""
    steps = (1 if severe else 0) + (1 if is_high_value(tier) else 0) + max(bumps, default=0)
    return PRIORITIES[max(0, len(PRIORITIES) - 1 - steps)]


def raise_priority(current: str, candidate: str) -> str:
    """The more urgent of two priorities (a case never drops priority on its own)."""
    return min(current, candidate, key=PRIORITIES.index)
