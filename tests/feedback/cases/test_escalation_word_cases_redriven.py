"""A response with an escalation word (投诉, 12315…) but a happy score whose case was never
opened — its receiver failed or never ran — is picked up by the periodic case sweep, as
unhappy scores always were."""

import datetime as dt

import pytest
from django.utils import timezone

from feedback.cases.opening import cases_sweep_missed_responses
from feedback.cases.tasks import check_case_slas
from feedback.models.cases import Case
from surveys.models import Response
from tests.factories import CustomerFactory, published_survey, submitted_response

pytestmark = pytest.mark.django_db


def _missed(data: dict) -> Response:
    """A completed response whose receivers never ran (this test's transaction never commits),
    announced as far as the outbox knows: only the case sweep can still open its case."""
    response = submitted_response(
        survey=published_survey(consent_text=""), data=data, customer=CustomerFactory()
    )
    Response.objects.filter(pk=response.pk).update(announced_at=timezone.now())
    return response


def test_a_passive_who_threatens_a_complaint_gets_a_case_from_the_sweep():
    response = _missed({"nps": 8, "comment": "再这样我就去12315投诉"})
    assert not Case.objects.filter(response=response).exists()

    assert check_case_slas()["responses_swept"] == 1

    case = Case.objects.get(response=response)
    assert case.triggers == [{"kind": "escalation_words", "detail": "投诉、12315"}]
    assert case.customer_id == response.customer_id


def test_an_escalation_word_in_the_other_text_is_found_too():
    from feedback.cases.rules import ensure_case_defaults
    from feedback.models.cases import CaseRule, CaseRuleKind

    ensure_case_defaults()  # only the words can open this one: the score rules are off
    CaseRule.objects.exclude(kind=CaseRuleKind.ESCALATION_WORDS).update(is_active=False)
    response = _missed({"nps": 5, "reason": ["__other__"], "reason_other": "要退款"})
    assert list(response.answers.exclude(other_text="").values_list("other_text", flat=True)) == [
        "要退款"
    ]

    assert cases_sweep_missed_responses(since=timezone.now() - dt.timedelta(hours=1)) == 1

    assert Case.objects.get(response=response).triggers == [
        {"kind": "escalation_words", "detail": "退款"}
    ]


def test_a_happy_response_without_escalation_words_gets_no_case():
    response = _missed({"nps": 9, "comment": "服务很好，下次还来"})

    assert cases_sweep_missed_responses(since=timezone.now() - dt.timedelta(hours=1)) == 0
    assert not Case.objects.filter(response=response).exists()


def test_the_sweep_is_idempotent_and_leaves_settled_cases_alone():
    response = _missed({"nps": 8, "comment": "我要投诉"})
    since = timezone.now() - dt.timedelta(hours=1)
    assert cases_sweep_missed_responses(since=since) == 1
    assert cases_sweep_missed_responses(since=since) == 0  # it has its case now
    assert Case.objects.filter(response=response).count() == 1


def test_an_inactive_escalation_rule_opens_nothing():
    from feedback.cases.rules import ensure_case_defaults
    from feedback.models.cases import CaseRule, CaseRuleKind

    ensure_case_defaults()
    CaseRule.objects.filter(kind=CaseRuleKind.ESCALATION_WORDS).update(is_active=False)
    response = _missed({"nps": 8, "comment": "我要投诉"})

    assert cases_sweep_missed_responses(since=timezone.now() - dt.timedelta(hours=1)) == 0
    assert not Case.objects.filter(response=response).exists()
