"""Which rules a response or a feedback item matches.

The defaults are created on first use (`ensure_case_defaults`), so a fresh database and a
flushed test database both work; admins then edit them.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Q

from feedback.models.cases import CasePriority, CaseRule, CaseRuleKind, ResolutionReason, SlaPolicy
from surveys.scoring.rules import NPS_DETRACTOR_MAX

ESCALATION_WORDS = ["投诉", "退款", "差评", "12315", "曝光", "消协", "315", "律师", "起诉", "骗"]

DEFAULT_RULES = [
    {"kind": CaseRuleKind.NPS_MAX, "threshold": NPS_DETRACTOR_MAX},  # detractors
    {"kind": CaseRuleKind.CSAT_MAX, "threshold": 2},
    {"kind": CaseRuleKind.CES_MAX, "threshold": 2},
    {"kind": CaseRuleKind.SENTIMENT_BELOW, "threshold": 0.2},
    {"kind": CaseRuleKind.ESCALATION_WORDS, "words": ESCALATION_WORDS, "priority_bump": 1},
]

DEFAULT_SLAS = {
    CasePriority.P1: (timedelta(hours=4), timedelta(hours=24)),
    CasePriority.P2: (timedelta(hours=24), timedelta(hours=72)),
    CasePriority.P3: (timedelta(hours=72), timedelta(days=7)),
}

DEFAULT_REASONS = [
    ("退款", "Refund"),
    ("补发", "Replacement sent"),
    ("道歉", "Apology"),
    ("解释说明", "Explanation"),
    ("产品改进", "Product improvement"),
    ("其他", "Other"),
]


# Key of the PostgreSQL advisory lock under which the defaults are created.
CASE_DEFAULTS_LOCK = 0x5C_CA5E


def ensure_case_defaults() -> None:
    """Create the default rules, SLA policies and resolution reasons on first use (one
    cheap query afterwards: they are created together, then belong to the admins).

    Two workers can meet a fresh database at once: on PostgreSQL the first takes a lock and
    creates them, the second waits for it to commit, then finds them (on SQLite the
    transactions are IMMEDIATE, which serialises them already)."""
    if CaseRule.objects.exists():
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CASE_DEFAULTS_LOCK])
        if not CaseRule.objects.exists():
            CaseRule.objects.bulk_create(CaseRule(**spec) for spec in DEFAULT_RULES)
        if not SlaPolicy.objects.exists():
            SlaPolicy.objects.bulk_create(
                SlaPolicy(priority=p, first_response_within=first, resolution_within=resolution)
                for p, (first, resolution) in DEFAULT_SLAS.items()
            )
        if not ResolutionReason.objects.exists():
            ResolutionReason.objects.bulk_create(
                ResolutionReason(name=name, name_en=name_en, position=i)
                for i, (name, name_en) in enumerate(DEFAULT_REASONS)
            )


@dataclass(frozen=True)
class RuleMatch:
    kind: str
    detail: str
    bump: int = 0
    severe: bool = False

    def as_json(self) -> dict:
        return {"kind": self.kind, "detail": self.detail}


def active_rules() -> list[CaseRule]:
    ensure_case_defaults()
    return list(CaseRule.objects.filter(is_active=True))


def _score_match(rule: CaseRule, label: str, score: int | None, severe_at: int) -> RuleMatch | None:
    if score is None or rule.threshold is None or score > rule.threshold:
        return None
    return RuleMatch(rule.kind, f"{label} {score}", rule.priority_bump, severe=score <= severe_at)


# The response field each score rule reads; a score at or below the threshold matches.
SCORE_RULE_FIELDS = {
    CaseRuleKind.NPS_MAX: "nps_score",
    CaseRuleKind.CSAT_MAX: "csat_score",
    CaseRuleKind.CES_MAX: "ces_score",
}


def score_rules_q(rules: list[CaseRule], prefix: str = "") -> Q | None:
    """Responses a score rule matches, as `match_response` decides it (score <= threshold),
    reached through `prefix` ("response__" from a related model); None when no score rule is
    active."""
    unhappy = Q()
    for rule in rules:
        if rule.kind in SCORE_RULE_FIELDS and rule.threshold is not None:
            unhappy |= Q(**{f"{prefix}{SCORE_RULE_FIELDS[rule.kind]}__lte": rule.threshold})
    return unhappy or None


def escalation_words_in(text: str, rules: list[CaseRule]) -> list[RuleMatch]:
    matches = []
    for rule in rules:
        if rule.kind != CaseRuleKind.ESCALATION_WORDS:
            continue
        found = [w for w in rule.words if isinstance(w, str) and w and w in text]
        # "315" inside "12315" is one mention, not two.
        found = [w for w in found if not any(w != other and w in other for other in found)]
        if found:
            matches.append(RuleMatch(rule.kind, "、".join(found), rule.priority_bump))
    return matches


def match_response(
    rules: list[CaseRule],
    *,
    nps: int | None,
    csat: int | None,
    ces: int | None,
    texts: list[str],
) -> list[RuleMatch]:
    """The rules a completed response matches (scores and escalation words in its text)."""
    matches: list[RuleMatch] = []
    for rule in rules:
        match = None
        if rule.kind == CaseRuleKind.NPS_MAX:
            match = _score_match(rule, "NPS", nps, severe_at=3)
        elif rule.kind == CaseRuleKind.CSAT_MAX:
            match = _score_match(rule, "CSAT", csat, severe_at=1)
        elif rule.kind == CaseRuleKind.CES_MAX:
            match = _score_match(rule, "CES", ces, severe_at=1)
        if match:
            matches.append(match)
    matches += escalation_words_in("\n".join(texts), rules)
    return matches


def match_sentiment(rules: list[CaseRule], *, score: float | None, text: str) -> list[RuleMatch]:
    """The rules an analysed feedback item matches (negative sentiment, escalation words)."""
    matches: list[RuleMatch] = []
    for rule in rules:
        if (
            rule.kind == CaseRuleKind.SENTIMENT_BELOW
            and score is not None
            and rule.threshold is not None
            and score < rule.threshold
        ):
            matches.append(
                RuleMatch(rule.kind, f"{score:.2f}", rule.priority_bump, severe=score < 0.05)
            )
    return matches + escalation_words_in(text, rules)
