"""Opening cases: the rules' matches for a response or a negative feedback item become a case.

At most one open case per customer and response, guaranteed by partial unique constraints,
with rows locked while a case is extended."""

import operator
from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import reduce

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from feedback.cases.events import case_event_add, user_label
from feedback.cases.priority import case_priority, raise_priority, value_tier
from feedback.cases.resurvey import RESURVEY_SLUG
from feedback.cases.rules import (
    DEFAULT_SLAS,
    RuleMatch,
    active_rules,
    match_response,
    match_sentiment,
    score_rules_q,
)
from feedback.cases.sla import EVERY_DAY, SHANGHAI_BUSINESS_HOURS, BusinessHours, due_time
from feedback.models import FeedbackItem, SentimentLabel
from feedback.models.cases import (
    OPEN_CASE_STATUSES,
    Case,
    CaseRuleKind,
    CaseStatus,
    CaseTeam,
    SlaPolicy,
)
from surveys.models import Answer, Customer, Response, ResponseStatus

WORKING_WEEK = SHANGHAI_BUSINESS_HOURS.workdays


def business_hours(team: CaseTeam | None = None) -> BusinessHours:
    """The SLA clock's working days: Monday–Friday 9:00–18:00 less China's public holidays
    plus their 调休 working days (chinese-calendar), or the team's own week (weekends, public
    holidays worked); the configured days (settings.SURVEYHUB_SLA_*) always win."""
    return BusinessHours(
        holidays=frozenset(settings.SURVEYHUB_SLA_HOLIDAYS),
        extra_workdays=frozenset(settings.SURVEYHUB_SLA_EXTRA_WORKDAYS),
        public_calendar=True,
        workdays=EVERY_DAY if team is not None and team.works_weekends else WORKING_WEEK,
        works_public_holidays=team is not None and team.works_public_holidays,
    )


def due_dates(
    priority: str, start: datetime, team: CaseTeam | None = None
) -> tuple[datetime, datetime]:
    """(first response due, resolution due) of a case of `priority` whose clock starts at
    `start`, by its SLA policy and its team's calendar (feedback.cases.sla does the counting)."""
    policy = SlaPolicy.objects.filter(priority=priority).first()
    if policy is None:
        first, resolution = DEFAULT_SLAS[priority]
        business = False
    else:
        first, resolution = policy.first_response_within, policy.resolution_within
        business = policy.business_hours
    hours = business_hours(team)
    return (
        due_time(start, first, business_hours=business, hours=hours),
        due_time(start, resolution, business_hours=business, hours=hours),
    )


# Opening ---------------------------------------------------------------------------------


def _merge_triggers(existing: list[dict], matches: Iterable[RuleMatch]) -> list[dict]:
    merged = list(existing)
    for match in matches:
        if match.as_json() not in merged:
            merged.append(match.as_json())
    return merged


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
            priority = case_priority(
                severe=any(m.severe for m in matches), bumps=[m.bump for m in matches], tier=tier
            )
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
        priority = case_priority(
            severe=any(m.severe for m in matches),
            bumps=[m.bump for m in matches],
            tier=case.value_tier,
        )
        _extend(case, matches=matches, item_ids=item_ids, priority=priority)
        return case


def _extend(case: Case, *, matches: list[RuleMatch], item_ids: Sequence[int], priority: str):
    before = {"priority": case.priority, "triggers": case.triggers}
    case.triggers = _merge_triggers(case.triggers, matches)
    new_priority = raise_priority(case.priority, priority)
    fields = ["triggers", "updated_at"]
    if new_priority != case.priority:
        case.priority = new_priority
        due_first, due = due_dates(new_priority, case.sla_started_at, case.team)
        case.due_first_response_at = min(filter(None, [case.due_first_response_at, due_first]))
        case.due_at = min(filter(None, [case.due_at, due]))
        fields += ["priority", "due_first_response_at", "due_at"]
    # Only the given items are looked up: a case may gather thousands of comments.
    linked = case.feedback_items.filter(pk__in=list(item_ids)).values_list("pk", flat=True)
    new_items = set(item_ids) - set(linked)
    if new_items:
        case.feedback_items.add(*new_items)
    if case.triggers != before["triggers"] or "priority" in fields or new_items:
        case.save(update_fields=fields)
        case_event_add(
            case,
            "extended",
            before=before,
            after={
                "priority": case.priority,
                "triggers": case.triggers,
                "items": sorted(new_items),
            },
        )


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
    return {
        response.pk: _open_or_extend(
            customer=response.customer,
            response=response,
            item_ids=items.get(response.pk, []),
            matches=matches,
        )
        for response, matches in matched
    }


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
    groups: dict[tuple, tuple[FeedbackItem, list[int], list[RuleMatch]]] = {}
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
        key = ("response", item.response_id) if item.response_id else ("customer", item.customer_id)
        _, ids, found = groups.setdefault(key, (item, [], []))
        ids.append(item.pk)
        found.extend(matches)
    return [
        _open_or_extend(
            customer=first.customer, response=first.response, item_ids=ids, matches=found
        )
        for first, ids, found in groups.values()
    ]


# Workflow --------------------------------------------------------------------------------
