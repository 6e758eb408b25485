"""Case rules and priority at their edges: thresholds, severity, escalation words, value tiers."""

import pytest

from feedback.cases import priority
from feedback.cases.priority import (
    case_priority,
    is_high_value,
    raise_priority,
    register_value_tier_provider,
    unregister_value_tier_provider,
    value_tier,
    value_tiers,
)
from feedback.cases.rules import (
    DEFAULT_RULES,
    RuleMatch,
    active_rules,
    ensure_case_defaults,
    escalation_words_in,
    match_response,
    match_sentiment,
    score_rules_q,
)
from feedback.models.cases import CaseRule, CaseRuleKind, ResolutionReason, SlaPolicy


def rule(kind, threshold=None, words=(), bump=0):
    return CaseRule(kind=kind, threshold=threshold, words=list(words), priority_bump=bump)


DEFAULTS = [CaseRule(**spec) for spec in DEFAULT_RULES]


def kinds(matches):
    return [m.kind for m in matches]


@pytest.mark.parametrize(("nps", "opens"), [(6, True), (7, False), (8, False), (9, False)])
def test_default_nps_rule_matches_detractors_only(nps, opens):
    matches = match_response(DEFAULTS, nps=nps, csat=None, ces=None, texts=[])

    assert (CaseRuleKind.NPS_MAX in kinds(matches)) is opens


@pytest.mark.parametrize(("csat", "opens"), [(2, True), (3, False), (4, False)])
def test_default_csat_rule_matches_2_and_below(csat, opens):
    matches = match_response(DEFAULTS, nps=None, csat=csat, ces=None, texts=[])

    assert (CaseRuleKind.CSAT_MAX in kinds(matches)) is opens


@pytest.mark.parametrize(("ces", "opens"), [(2, True), (3, False)])
def test_default_ces_rule_matches_2_and_below(ces, opens):
    matches = match_response(DEFAULTS, nps=None, csat=None, ces=ces, texts=[])

    assert (CaseRuleKind.CES_MAX in kinds(matches)) is opens


@pytest.mark.parametrize(
    ("scores", "severe"),
    [
        ({"nps": 3}, True),
        ({"nps": 4}, False),
        ({"csat": 1}, True),
        ({"csat": 2}, False),
        ({"ces": 1}, True),
        ({"ces": 2}, False),
    ],
)
def test_severity_starts_at_nps_3_csat_1_ces_1(scores, severe):
    given = {"nps": None, "csat": None, "ces": None, **scores}

    (match,) = match_response(DEFAULTS, texts=[], **given)

    assert match.severe is severe


def test_a_score_match_describes_the_score_and_carries_the_bump():
    rules = [rule(CaseRuleKind.NPS_MAX, 6, bump=2)]

    (match,) = match_response(rules, nps=5, csat=None, ces=None, texts=[])

    assert match == RuleMatch(CaseRuleKind.NPS_MAX, "NPS 5", 2, severe=False)
    assert match.as_json() == {"kind": CaseRuleKind.NPS_MAX, "detail": "NPS 5"}


def test_each_score_rule_reads_its_own_score():
    rules = [rule(CaseRuleKind.CSAT_MAX, 2), rule(CaseRuleKind.CES_MAX, 2)]

    matches = match_response(rules, nps=0, csat=5, ces=1, texts=[])

    assert [(m.kind, m.detail) for m in matches] == [(CaseRuleKind.CES_MAX, "CES 1")]


def test_a_score_rule_without_threshold_matches_nothing():
    assert match_response([rule(CaseRuleKind.NPS_MAX)], nps=0, csat=None, ces=None, texts=[]) == []


def test_escalation_words_are_found_across_all_texts():
    matches = match_response(DEFAULTS, nps=None, csat=None, ces=None, texts=["很好", "我要投诉"])

    assert [(m.kind, m.detail, m.bump) for m in matches] == [
        (CaseRuleKind.ESCALATION_WORDS, "投诉", 1)
    ]


def test_a_word_inside_a_longer_found_word_counts_once():
    (match,) = escalation_words_in("打了12315，还要投诉", DEFAULTS)

    assert match.detail == "投诉、12315"


def test_escalation_words_ignore_blank_and_non_text_entries():
    rules = [rule(CaseRuleKind.ESCALATION_WORDS, words=["", 315, "退款"])]

    (match,) = escalation_words_in("315 退款", rules)

    assert match.detail == "退款"


def test_no_escalation_word_no_match():
    assert escalation_words_in("服务很好", DEFAULTS) == []


@pytest.mark.parametrize(
    ("score", "matches", "severe"),
    [(0.19, True, False), (0.2, False, False), (0.05, True, False), (0.049, True, True)],
)
def test_sentiment_rule_is_strictly_below_its_threshold(score, matches, severe):
    found = match_sentiment(DEFAULTS, score=score, text="")

    assert bool(found) is matches
    if matches:
        assert found[0].severe is severe
        assert found[0].detail == f"{score:.2f}"


def test_sentiment_without_a_score_or_threshold_matches_nothing_but_words_still_do():
    assert match_sentiment(DEFAULTS, score=None, text="") == []
    assert match_sentiment([rule(CaseRuleKind.SENTIMENT_BELOW)], score=0.0, text="") == []
    assert kinds(match_sentiment(DEFAULTS, score=0.9, text="退款")) == [
        CaseRuleKind.ESCALATION_WORDS
    ]


@pytest.mark.django_db
def test_defaults_are_created_once_and_only_active_rules_are_used():
    ensure_case_defaults()
    ensure_case_defaults()

    assert CaseRule.objects.count() == len(DEFAULT_RULES)
    assert SlaPolicy.objects.count() == 3
    assert [r.name for r in ResolutionReason.objects.order_by("position")][:2] == ["退款", "补发"]
    CaseRule.objects.filter(kind=CaseRuleKind.CES_MAX).update(is_active=False)
    assert CaseRuleKind.CES_MAX not in [r.kind for r in active_rules()]
    assert len(active_rules()) == len(DEFAULT_RULES) - 1


def test_score_rules_q_is_score_at_or_below_each_threshold():
    q = score_rules_q([rule(CaseRuleKind.NPS_MAX, 6), rule(CaseRuleKind.CSAT_MAX, 2)], "response__")

    assert set(q.children) == {("response__nps_score__lte", 6), ("response__csat_score__lte", 2)}
    assert q.connector == "OR"


def test_score_rules_q_is_none_without_score_rules():
    assert score_rules_q([rule(CaseRuleKind.SENTIMENT_BELOW, 0.2)]) is None
    assert score_rules_q([rule(CaseRuleKind.NPS_MAX)]) is None


@pytest.mark.parametrize(
    ("severe", "bumps", "tier", "expected"),
    [
        (False, [], "", "P3"),
        (True, [], "", "P2"),
        (False, [], "vip", "P2"),
        (True, [], "VIP ", "P1"),
        (False, [1], "", "P2"),
        (False, [0, 2], "", "P1"),
        (True, [2], "high", "P1"),  # never beyond P1
    ],
)
def test_case_priority_steps_up_from_p3(severe, bumps, tier, expected):
    assert case_priority(severe=severe, bumps=bumps, tier=tier) == expected


def test_a_priority_never_drops():
    assert raise_priority("P2", "P3") == "P2"
    assert raise_priority("P2", "P1") == "P1"


@pytest.mark.parametrize("tier", ["high", "vip", "高", "高价值", "重要价值客户", " High "])
def test_high_value_tiers(tier):
    assert is_high_value(tier)


def test_a_medium_tier_is_not_high_value():
    assert not is_high_value("medium")


class _Customer:
    """An unsaved customer: no registered provider knows its tier."""

    pk = None

    def __init__(self, attributes):
        self.attributes = attributes


def test_value_tier_asks_providers_first_then_the_attribute():
    def none_provider(customer):
        return None

    def provider(customer):
        return "x" * 40

    assert value_tier(None) == ""
    assert value_tier(_Customer({"value_tier": "vip"})) == "vip"
    assert value_tier(_Customer("not a dict")) == ""
    register_value_tier_provider(none_provider)
    register_value_tier_provider(provider)
    register_value_tier_provider(provider)
    try:
        assert priority._providers.count(provider) == 1
        assert value_tier(_Customer({"value_tier": "vip"})) == "x" * 32
    finally:
        unregister_value_tier_provider(provider)
        unregister_value_tier_provider(none_provider)
    assert provider not in priority._providers
    assert value_tier(_Customer({"value_tier": "y" * 40})) == "y" * 32


@pytest.mark.django_db  # analytics offers the latest CLV run's tiers first (none here)
def test_value_tiers_of_many_customers_agree_with_one_at_a_time_and_ask_a_batch_once():
    asked = []

    def one(customer):
        return {1: "high", 2: ""}.get(customer.pk)

    def many(customers):
        asked.append(sorted(c.pk for c in customers))
        return {c.pk: one(c) for c in customers}

    customers = [_Customer({"value_tier": f"attr{i}"}) for i in range(4)]
    for pk, customer in enumerate(customers, start=1):
        customer.pk = pk
    register_value_tier_provider(one, many=many)
    try:
        tiers = value_tiers([*customers, None])
        assert tiers == {c.pk: value_tier(c) for c in customers}
        assert tiers == {1: "high", 2: "attr1", 3: "attr2", 4: "attr3"}
        assert asked == [[1, 2, 3, 4]]  # once for all of them, not per customer
    finally:
        unregister_value_tier_provider(one)
    assert one not in priority._many
