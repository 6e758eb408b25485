"""Opening cases: the rules' matches for a response or a negative feedback item become a case.

At most one open case per customer and response, guaranteed by partial unique constraints,
with rows locked while a case is extended."""

import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from feedback.cases.due import SlaTable, due_dates, sla_table
from feedback.cases.events import case_event_add, case_events_add, user_label
from feedback.cases.priority import case_priority, raise_priority, value_tier, value_tiers
from feedback.cases.resurvey import RESURVEY_SLUG
from feedback.cases.rules import (
    RuleMatch,
    active_rules,
    match_response,
    match_sentiment,
    score_rules_q,
)
from feedback.models import FeedbackItem, SentimentLabel
from feedback.models.cases import (
    OPEN_CASE_STATUSES,
    Case,
    CaseRuleKind,
    CaseStatus,
)
from surveys.models import Answer, Customer, Response, ResponseStatus

CaseLinks = Case.feedback_items.through

# Opening ---------------------------------------------------------------------------------


@dataclass
class CaseTarget:
    """What the rules found for one case: its response (or, without one, its customer), the
    feedback items to link and the rules matched."""

    customer: Customer | None
    response: Response | None
    item_ids: list[int] = field(default_factory=list)
    matches: list[RuleMatch] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, int | None]:
        if self.response is not None:
            return ("response", self.response.pk)
        return ("customer", self.customer.pk if self.customer is not None else None)


def _merge_triggers(existing: list[dict], matches: Iterable[RuleMatch]) -> list[dict]:
    merged = list(existing)
    for match in matches:
        if match.as_json() not in merged:
            merged.append(match.as_json())
    return merged


def _priority(matches: list[RuleMatch], tier: str) -> str:
    return case_priority(
        severe=any(m.severe for m in matches), bumps=[m.bump for m in matches], tier=tier
    )


def _open_or_extend(
    *,
    customer: Customer | None,
    response: Response | None,
    item_ids: Sequence[int],
    matches: list[RuleMatch],
) -> Case:
    lookup: dict = {"status__in": OPEN_CASE_STATUSES}
    if response is not None:
        lookup["response"] = response
    else:
        lookup.update(customer=customer, response=None)
    with transaction.atomic():
        case = Case.objects.select_for_update().filter(**lookup).first()
        if case is None:
            tier = value_tier(customer)
            priority = _priority(matches, tier)
            now = timezone.now()
            due_first, due = due_dates(priority, now)
            try:
                with transaction.atomic():
                    case = Case.objects.create(
                        customer=customer, response=response, priority=priority,
                        value_tier=tier, triggers=_merge_triggers([], matches),
                        created_at=now, sla_started_at=now,
                        due_first_response_at=due_first, due_at=due,
                    )  # fmt: skip
            except IntegrityError:
                # Another worker opened it between our read and insert: extend theirs.
                case = Case.objects.select_for_update().get(**lookup)
            else:
                case.feedback_items.add(*item_ids)
                case_event_add(case, "opened", after=case_snapshot(case))
                return case
        # The value tier is the one seen at opening: a nightly re-rating of the customer
        # must not move the case when the rules run again.
        _extend_all([(case, CaseTarget(customer, response, list(item_ids), matches))])
        return case


def _open_or_extend_all(targets: list[CaseTarget]) -> list[Case]:
    """Open or extend the case of each target (one per key), with the same outcome as one
    `_open_or_extend` after another but a constant number of queries for all of them: the
    open cases read and locked at once, the new ones inserted together with their item links
    and events, the extended ones updated together. If another worker opens one of the same
    cases meanwhile (the insert conflicts), each new case is opened on its own instead.
    Returns the cases in the order of the targets."""
    order = [t.key for t in targets]
    alone = [t for t in targets if t.key == ("customer", None)]
    targets = [t for t in targets if t.key != ("customer", None)]
    cases: dict[tuple, Case] = {}
    with transaction.atomic():
        if targets:
            cases = _lock_open_cases(targets)
            fresh = [t for t in targets if t.key not in cases]
            opened = _open_together(fresh)
            if opened is None:  # a conflict: one at a time, each handling its race
                opened = {t.key: _open_or_extend(**_fields(t)) for t in fresh}
            _extend_all([(cases[t.key], t) for t in targets if t.key in cases])
            cases.update(opened)
        # Comments without customer or response gather in one case no constraint guards.
        cases.update({t.key: _open_or_extend(**_fields(t)) for t in alone})
    return [cases[key] for key in order]


def _fields(target: CaseTarget) -> dict:
    return {
        "customer": target.customer, "response": target.response,
        "item_ids": target.item_ids, "matches": target.matches,
    }  # fmt: skip


def _lock_open_cases(targets: list[CaseTarget]) -> dict[tuple, Case]:
    """The open cases of these targets, locked (in id order, as every caller locks them)."""
    response_ids = [t.response.pk for t in targets if t.response is not None]
    customer_ids = [t.customer.pk for t in targets if t.response is None]
    mine = Q(response_id__in=response_ids) | Q(response__isnull=True, customer_id__in=customer_ids)
    found = (
        Case.objects.select_for_update(of=("self",))
        .select_related("team")
        .filter(mine, status__in=OPEN_CASE_STATUSES)
        .order_by("pk")
    )
    return {
        ("response", c.response_id) if c.response_id else ("customer", c.customer_id): c
        for c in found
    }


def _open_together(targets: list[CaseTarget]) -> dict[tuple, Case] | None:
    """New cases for these targets in one INSERT (plus one for their items, one for their
    events); None, having changed nothing, when one of them exists already."""
    if not targets:
        return {}
    tiers = value_tiers(t.customer for t in targets)
    table, now = sla_table(), timezone.now()
    cases = []
    for target in targets:
        tier = tiers.get(target.customer.pk, "") if target.customer is not None else ""
        priority = _priority(target.matches, tier)
        due_first, due = due_dates(priority, now, table=table)
        case = Case(
            customer=target.customer, response=target.response, priority=priority,
            value_tier=tier, triggers=_merge_triggers([], target.matches),
            created_at=now, sla_started_at=now, due_first_response_at=due_first, due_at=due,
        )  # fmt: skip
        cases.append(case)
    try:
        with transaction.atomic():
            Case.objects.bulk_create(cases)
    except IntegrityError:
        return None
    CaseLinks.objects.bulk_create(
        CaseLinks(case_id=case.pk, feedbackitem_id=item_id)
        for case, target in zip(cases, targets, strict=True)
        for item_id in dict.fromkeys(target.item_ids)
    )
    case_events_add([(case, "opened", {}, case_snapshot(case)) for case in cases])
    return {target.key: case for case, target in zip(cases, targets, strict=True)}


def _extend_all(pairs: list[tuple[Case, CaseTarget]], table: SlaTable | None = None) -> None:
    """Add the targets' triggers and items to their open (locked) cases and raise their
    priority when the matches call for it; one event per case that changed."""
    if not pairs:
        return
    wanted = {item_id for _case, target in pairs for item_id in target.item_ids}
    linked = set(
        CaseLinks.objects.filter(
            case_id__in=[case.pk for case, _t in pairs], feedbackitem_id__in=wanted
        ).values_list("case_id", "feedbackitem_id")
    ) if wanted else set()  # fmt: skip
    now, changed, links, events = timezone.now(), [], [], []
    for case, target in pairs:
        before = {"priority": case.priority, "triggers": case.triggers}
        case.triggers = _merge_triggers(case.triggers, target.matches)
        # The value tier is the one seen at opening: a nightly re-rating of the customer
        # must not move the case when the rules run again.
        new_priority = raise_priority(case.priority, _priority(target.matches, case.value_tier))
        raised = new_priority != case.priority
        if raised:
            case.priority = new_priority
            table = table or sla_table()
            due_first, due = due_dates(new_priority, case.sla_started_at, case.team, table=table)
            case.due_first_response_at = min(filter(None, [case.due_first_response_at, due_first]))
            case.due_at = min(filter(None, [case.due_at, due]))
        new_items = sorted(set(target.item_ids) - {i for c, i in linked if c == case.pk})
        links += [CaseLinks(case_id=case.pk, feedbackitem_id=i) for i in new_items]
        if case.triggers != before["triggers"] or raised or new_items:
            case.updated_at = now
            changed.append(case)
            after = {"priority": case.priority, "triggers": case.triggers, "items": new_items}
            events.append((case, "extended", before, after))
    CaseLinks.objects.bulk_create(links)
    fields = ["triggers", "updated_at", "priority", "due_first_response_at", "due_at"]
    Case.objects.bulk_update(changed, fields)
    case_events_add(events)


def case_snapshot(case: Case) -> dict:
    return {
        "status": case.status,
        "priority": case.priority,
        "assignee": user_label(case.assignee) if case.assignee_id else None,
        "triggers": case.triggers,
        "due_at": case.due_at.isoformat() if case.due_at else None,
    }


def _settled_case_responses(response_ids: Iterable[int]) -> set[int]:
    """Those of the responses whose case is already resolved or closed: they never open
    another one."""
    return set(
        Case.objects.filter(response_id__in=list(response_ids))
        .exclude(status__in=OPEN_CASE_STATUSES)
        .values_list("response_id", flat=True)
    )


def cases_open_for_response(*, response_id: int) -> Case | None:
    """Run the rules on a completed response (scores, escalation words); open or extend its
    case. Idempotent: running twice, or several rules matching, leaves one open case."""
    return cases_open_for_responses(response_ids=[response_id]).get(response_id)


def cases_open_for_responses(*, response_ids: Iterable[int]) -> dict[int, Case]:
    """The same for many completed responses at once (an outbox chunk): the responses, their
    texts, settled cases and feedback items are read once for the chunk; only the responses
    the rules match open or extend a case. Returns {response id: its open case}."""
    responses = list(
        Response.objects.select_related("customer")
        .filter(pk__in=list(response_ids), status=ResponseStatus.COMPLETED)
        .order_by("pk")
    )
    if not responses:
        return {}
    texts: dict[int, list[str]] = {}
    for response_id, *pair in (
        Answer.objects.filter(response_id__in=[r.pk for r in responses])
        .filter(Q(text__gt="") | Q(other_text__gt=""))
        .order_by("pk")
        .values_list("response_id", "text", "other_text")
    ):
        texts.setdefault(response_id, []).extend(t for t in pair if t)
    rules = active_rules()
    matched = []
    for response in responses:
        matches = match_response(
            rules,
            nps=response.nps_score,
            csat=response.csat_score,
            ces=response.ces_score,
            texts=texts.get(response.pk, []),
        )
        if matches:
            matched.append((response, matches))
    if not matched:
        return {}
    settled = _settled_case_responses(r.pk for r, _m in matched)
    matched = [(r, m) for r, m in matched if r.pk not in settled]
    items: dict[int, list[int]] = {}
    for response_id, item_id in (
        FeedbackItem.objects.filter(response_id__in=[r.pk for r, _m in matched])
        .order_by("pk")
        .values_list("response_id", "pk")
    ):
        items.setdefault(response_id, []).append(item_id)
    targets = [
        CaseTarget(response.customer, response, items.get(response.pk, []), matches)
        for response, matches in matched
    ]
    cases = _open_or_extend_all(targets)
    return {target.response.pk: case for target, case in zip(targets, cases, strict=True)}


def _escalation_words_q(rules) -> Q | None:
    """Responses with an active escalation word in an answer's text, as `match_response`
    finds it (a substring of the text or the "other" text); None without such a rule."""
    found = Q()
    for rule in rules:
        if rule.kind != CaseRuleKind.ESCALATION_WORDS:
            continue
        for word in rule.words:
            if isinstance(word, str) and word:
                found |= Q(answers__text__contains=word) | Q(answers__other_text__contains=word)
    return found or None


def cases_sweep_missed_responses(*, since: datetime, limit: int = 500) -> int:
    """Run the rules on recent responses that should have a case and have none — unhappy
    scores or an escalation word in the text (the on-commit receiver failed or never ran);
    safe to repeat."""
    rules = active_rules()
    wanted = [q for q in (score_rules_q(rules), _escalation_words_q(rules)) if q is not None]
    if not wanted:
        return 0
    missed = list(
        Response.objects.filter(reduce(operator.or_, wanted))
        .filter(status=ResponseStatus.COMPLETED, completed_at__gte=since, cases__isnull=True)
        .exclude(survey__slug=RESURVEY_SLUG)  # re-survey answers belong to their case
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()[:limit]
    )
    for response_id in missed:
        cases_open_for_response(response_id=response_id)
    return len(missed)


def cases_open_for_feedback(*, item_ids: Iterable[int]) -> list[Case]:
    """Open or extend cases for analysed items with negative sentiment below the rule's
    threshold (or escalation words). Call it after storing analysis results; re-running it
    on the same items changes nothing."""
    rules = active_rules()
    # Whether each item is in a case already, and whether its response's case is settled:
    # read with the items (one query for the batch, not two per item).
    settled = Case.objects.filter(response_id=OuterRef("response_id")).exclude(
        status__in=OPEN_CASE_STATUSES
    )
    in_a_case = Case.feedback_items.through.objects.filter(feedbackitem_id=OuterRef("pk"))
    items = (
        FeedbackItem.objects.filter(pk__in=list(item_ids))
        .exclude(cases__isnull=False, cases__status__in=[CaseStatus.RESOLVED, CaseStatus.CLOSED])
        .annotate(response_case_settled=Exists(settled), in_a_case=Exists(in_a_case))
        .select_related("customer", "response")
        .order_by("pk")
    )
    # Items bound for the same case (one response's, or one customer's without a response)
    # open or extend it once, together: the case's priority is the most urgent and its
    # triggers the union of theirs, as one item after another would leave them.
    groups: dict[tuple, CaseTarget] = {}
    for item in items:
        if item.sentiment_corrected and item.sentiment_label != SentimentLabel.NEGATIVE:
            continue
        matches = match_sentiment(rules, score=item.sentiment_score, text=item.text)
        if not matches:
            continue
        if item.response_id and item.response_case_settled:
            continue
        if item.customer_id is None and item.response_id is None and item.in_a_case:
            continue
        target = groups.setdefault(
            ("response", item.response_id) if item.response_id else ("customer", item.customer_id),
            CaseTarget(item.customer, item.response),
        )
        target.item_ids.append(item.pk)
        target.matches.extend(matches)
    return _open_or_extend_all(list(groups.values()))


# Workflow --------------------------------------------------------------------------------
