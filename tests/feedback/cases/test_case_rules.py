"""Rules open a case for detractors, low CSAT/CES, escalation words and negative sentiment —
one open case per customer and response, however many rules match or runs happen."""

from datetime import timedelta

import pytest
from django.utils import translation

from feedback.cases.opening import cases_open_for_feedback, cases_open_for_response
from feedback.models import FeedbackItem
from feedback.models.cases import Case, CaseRule, CaseRuleKind, CaseStatus
from surveys.signals import response_submitted
from tests.factories import CustomerFactory, published_survey, submitted_response

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (msgids), whatever the catalogue holds."""
    with translation.override("en"):
        yield


@pytest.fixture
def customer():
    return CustomerFactory()


def submit(capture, survey, data, customer):
    with capture(execute=True):
        return submitted_response(survey=survey, data=data, customer=customer)


@pytest.mark.parametrize("score, opens", [(0, True), (6, True), (7, False), (10, False)])
def test_nps_0_to_6_opens_a_case(django_capture_on_commit_callbacks, customer, score, opens):
    response = submit(
        django_capture_on_commit_callbacks, published_survey(), {"nps": score}, customer
    )
    assert Case.objects.filter(response=response, customer=customer).exists() is opens


@pytest.mark.parametrize("score, opens", [(1, True), (2, True), (3, False), (5, False)])
def test_csat_1_or_2_opens_a_case(django_capture_on_commit_callbacks, customer, score, opens):
    survey = published_survey("service_csat")
    data = {"csat": score, "resolved": "no"}
    response = submit(django_capture_on_commit_callbacks, survey, data, customer)
    assert Case.objects.filter(response=response).exists() is opens


@pytest.mark.parametrize("score, opens", [(1, True), (2, True), (3, False), (7, False)])
def test_ces_1_or_2_opens_a_case(django_capture_on_commit_callbacks, customer, score, opens):
    response = submit(
        django_capture_on_commit_callbacks, published_survey("ces"), {"ces": score}, customer
    )
    assert Case.objects.filter(response=response).exists() is opens


def test_escalation_words_open_a_case_for_a_passive_and_raise_priority(
    django_capture_on_commit_callbacks, customer
):
    data = {"nps": 8, "comment": "再不处理我就打12315投诉"}
    response = submit(django_capture_on_commit_callbacks, published_survey(), data, customer)
    case = Case.objects.get(response=response)
    # Raised from P3 by the escalation words (and further when the text analysis also
    # finds it very negative: the sentiment rule runs on the same comment).
    assert case.priority in {"P2", "P1"}
    assert {"kind": "escalation_words", "detail": "投诉、12315"} in case.triggers


def test_a_plain_detractor_is_p3_and_a_severe_high_value_one_is_p1(
    django_capture_on_commit_callbacks,
):
    survey = published_survey()
    plain = submit(django_capture_on_commit_callbacks, survey, {"nps": 5}, CustomerFactory())
    vip = CustomerFactory(attributes={"value_tier": "high"})
    severe = submit(django_capture_on_commit_callbacks, survey, {"nps": 1}, vip)
    assert Case.objects.get(response=plain).priority == "P3"
    case = Case.objects.get(response=severe)
    assert (case.priority, case.value_tier) == ("P1", "high")


def test_a_case_is_due_per_its_priority_sla(django_capture_on_commit_callbacks, customer):
    response = submit(django_capture_on_commit_callbacks, published_survey(), {"nps": 5}, customer)
    case = Case.objects.get(response=response)
    assert case.due_first_response_at - case.created_at == timedelta(hours=72)
    assert case.due_at - case.created_at == timedelta(days=7)


def test_several_matching_rules_open_one_case_with_every_trigger(
    django_capture_on_commit_callbacks, customer
):
    data = {"nps": 2, "comment": "质量太差，要求退款，不然就给差评"}
    response = submit(django_capture_on_commit_callbacks, published_survey(), data, customer)
    case = Case.objects.get(response=response)
    kinds = [t["kind"] for t in case.triggers]
    # The response rules open the case; the analysis of the comment adds its own trigger.
    assert kinds[:2] == ["nps_max", "escalation_words"]
    assert set(kinds) <= {"nps_max", "escalation_words", "sentiment_below"}
    assert case.events.filter(kind="opened").count() == 1


def test_the_signal_twice_and_the_service_again_leave_one_case(
    django_capture_on_commit_callbacks, customer
):
    response = submit(django_capture_on_commit_callbacks, published_survey(), {"nps": 3}, customer)
    response_submitted.send(sender=type(response), response_id=response.pk)
    cases_open_for_response(response_id=response.pk)
    assert Case.objects.filter(response=response).count() == 1


def test_a_resolved_case_is_not_opened_again_when_rules_run_again(
    django_capture_on_commit_callbacks, customer
):
    response = submit(django_capture_on_commit_callbacks, published_survey(), {"nps": 3}, customer)
    Case.objects.filter(response=response).update(status=CaseStatus.RESOLVED)
    assert cases_open_for_response(response_id=response.pk) is None
    assert Case.objects.filter(response=response).count() == 1


def test_the_database_refuses_a_second_open_case_for_a_customer_and_response(
    django_capture_on_commit_callbacks, customer
):
    from django.db import IntegrityError, transaction

    response = submit(django_capture_on_commit_callbacks, published_survey(), {"nps": 3}, customer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(customer=customer, response=response)


def test_negative_sentiment_below_threshold_opens_a_case_once(customer):
    item = FeedbackItem.objects.create(
        text="客服态度恶劣，非常失望", customer=customer, sentiment_score=0.05,
        sentiment_label="negative", analysis_status="done",
    )  # fmt: skip
    neutral = FeedbackItem.objects.create(
        text="还行吧", customer=CustomerFactory(), sentiment_score=0.5, analysis_status="done"
    )
    cases_open_for_feedback(item_ids=[item.pk, neutral.pk])
    cases_open_for_feedback(item_ids=[item.pk, neutral.pk])  # analysis re-ran
    case = Case.objects.get(customer=customer)
    assert list(case.feedback_items.all()) == [item]
    assert case.triggers == [{"kind": "sentiment_below", "detail": "0.05"}]
    assert not Case.objects.filter(customer=neutral.customer).exists()


def test_negative_sentiment_on_a_detractor_joins_the_detractors_case(
    django_capture_on_commit_callbacks, customer
):
    data = {"nps": 4, "comment": "物流慢得离谱，包装也破了"}
    response = submit(django_capture_on_commit_callbacks, published_survey(), data, customer)
    item = FeedbackItem.objects.get(response=response)
    FeedbackItem.objects.filter(pk=item.pk).update(sentiment_score=0.01)
    cases_open_for_feedback(item_ids=[item.pk])
    case = Case.objects.get(response=response)
    assert {t["kind"] for t in case.triggers} == {"nps_max", "sentiment_below"}
    assert list(case.feedback_items.values_list("pk", flat=True)) == [item.pk]


def test_an_admin_edited_rule_changes_what_opens_a_case(
    django_capture_on_commit_callbacks, customer
):
    from feedback.cases.rules import ensure_case_defaults

    ensure_case_defaults()
    CaseRule.objects.filter(kind=CaseRuleKind.NPS_MAX).update(threshold=4)
    response = submit(django_capture_on_commit_callbacks, published_survey(), {"nps": 5}, customer)
    assert not Case.objects.filter(response=response).exists()


def test_an_inactive_rule_opens_nothing(django_capture_on_commit_callbacks, customer):
    from feedback.cases.rules import ensure_case_defaults

    ensure_case_defaults()
    CaseRule.objects.filter(kind=CaseRuleKind.NPS_MAX).update(is_active=False)
    response = submit(django_capture_on_commit_callbacks, published_survey(), {"nps": 0}, customer)
    assert not Case.objects.filter(response=response).exists()


def test_an_anonymous_detractor_gets_one_case_too(django_capture_on_commit_callbacks):
    response = submit(django_capture_on_commit_callbacks, published_survey(), {"nps": 1}, None)
    cases_open_for_response(response_id=response.pk)
    assert Case.objects.filter(response=response, customer=None).count() == 1


def test_running_the_rules_again_after_the_customer_is_rerated_changes_nothing(
    django_capture_on_commit_callbacks, customer
):
    response = submit(django_capture_on_commit_callbacks, published_survey(), {"nps": 5}, customer)
    customer.attributes = {"value_tier": "high"}
    customer.save()
    cases_open_for_response(response_id=response.pk)
    case = Case.objects.get(response=response)
    assert (case.priority, case.value_tier) == ("P3", "")
    assert case.events.count() == 1


def test_the_receiver_is_cheap_for_a_happy_customer(customer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from feedback.cases.receivers import open_cases_for_response
    from feedback.cases.rules import ensure_case_defaults

    ensure_case_defaults()
    response = submitted_response(survey=published_survey(), data={"nps": 10}, customer=customer)
    with CaptureQueriesContext(connection) as queries:
        open_cases_for_response(sender=None, response_id=response.pk)
    # re-survey lookup, the response, its answers, the rules (+ their existence check)
    assert len(queries) <= 5
    assert not Case.objects.exists()
