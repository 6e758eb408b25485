"""Opening cases for a batch of analysed items: items bound for one case open or extend it
once, together, so the queries do not grow with the batch (imported comments without a
customer all gather in one case; a batch of 30 used to cost 7 queries per item, reading every
item of that case each time)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from feedback.analysis.items import feedback_item_create
from feedback.cases.opening import cases_open_for_feedback
from feedback.models import Case, CaseEvent, FeedbackItem
from tests.factories import CustomerFactory, published_survey, submitted_response

pytestmark = pytest.mark.django_db

ANGRY = [
    "太差了，客服态度恶劣，再也不会买了，垃圾！",
    "爛透了，退款拖了一個月還沒到賬😡",
    "服务极差 worst service ever，投诉无门",
]


def negative_items(n: int, start: int, customer=None) -> list[int]:
    ids = []
    for i in range(start, start + n):
        text = f"{ANGRY[i % 3]}（第{i}条）"
        item, _ = feedback_item_create(text=text, source="ecommerce", customer=customer)
        ids.append(item.pk)
    FeedbackItem.objects.filter(pk__in=ids).update(sentiment_score=0.01, sentiment_label="negative")
    return ids


def queries_to_open(item_ids: list[int]) -> int:
    with CaptureQueriesContext(connection) as queries:
        cases_open_for_feedback(item_ids=item_ids)
    return len(queries)


def test_a_batch_bound_for_one_case_costs_the_same_queries_as_one_item():
    cases_open_for_feedback(item_ids=negative_items(1, 0))  # the case anonymous items join
    case = Case.objects.get()

    one = queries_to_open(negative_items(1, 10))
    thirty = queries_to_open(negative_items(30, 100))
    assert thirty <= one, (one, thirty)
    assert case.feedback_items.count() == 32
    assert Case.objects.count() == 1
    # One "extended" event per batch, naming every item it added.
    last = CaseEvent.objects.filter(case=case).latest("pk")
    assert last.kind == "extended" and len(last.after["items"]) == 30


def test_items_already_in_the_case_are_skipped_and_change_nothing():
    ids = negative_items(5, 0)
    cases_open_for_feedback(item_ids=ids)
    events = CaseEvent.objects.count()
    assert cases_open_for_feedback(item_ids=ids) == []
    assert CaseEvent.objects.count() == events


def test_one_batch_opens_one_case_per_customer_with_all_their_items():
    wang, li = CustomerFactory(name="王小明"), CustomerFactory(name="李華")
    ids = negative_items(3, 0, customer=wang) + negative_items(2, 3, customer=li)
    opened = cases_open_for_feedback(item_ids=ids)
    assert len(opened) == 2
    assert Case.objects.get(customer=wang).feedback_items.count() == 3
    assert Case.objects.get(customer=li).feedback_items.count() == 2
    assert CaseEvent.objects.filter(kind="opened").count() == 2


def _detractors_with_negative_comments(n: int, survey, start: int) -> list[int]:
    """n detractor responses announced (their cases opened by the score rule); returns the
    ids of their comments' items, analysed as very negative."""
    from surveys.responding.outbox import responses_announce

    answers = [{"nps": 2, "comment": f"{ANGRY[i % 3]}（{i}）"} for i in range(start, start + n)]
    responses = [
        submitted_response(survey=survey, data=data, customer=CustomerFactory()) for data in answers
    ]
    assert responses_announce([r.pk for r in responses]) == n
    items = FeedbackItem.objects.filter(response__in=responses)
    items.update(sentiment_score=0.01, sentiment_label="negative")
    return list(items.values_list("pk", flat=True))


def test_an_analysed_batch_extends_its_responses_cases_in_the_same_queries_for_5_and_50():
    survey = published_survey(consent_text="")
    queries_to_open(_detractors_with_negative_comments(2, survey, 0))  # first use of the rules
    five = _detractors_with_negative_comments(5, survey, 10)
    fifty = _detractors_with_negative_comments(50, survey, 100)

    small, big = queries_to_open(five), queries_to_open(fifty)

    # Each case was opened by the NPS rule and gains the sentiment trigger (severe: raised):
    # extended one case at a time, that cost ~7 queries per case.
    assert big <= small <= 15, (small, big)
    extended = Case.objects.filter(feedback_items__in=fifty).distinct()
    assert extended.count() == 50
    for case in extended:
        assert {"nps_max", "sentiment_below"} <= {t["kind"] for t in case.triggers}
        assert case.events.filter(kind="extended").count() == 1
