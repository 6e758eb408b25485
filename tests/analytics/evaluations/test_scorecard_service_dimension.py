"""The experience dimension reads first-response time and resolution rate from triage cases."""

import datetime as dt

import pytest
from django.db.models import F
from django.utils import timezone

from analytics.dashboard.digests import overdue_cases
from analytics.evaluations.scorecard import evaluation_compute
from analytics.metric_queries.satisfaction_value import customers_with_open_cases
from feedback.models import Case
from tests.factories import CustomerFactory, detractor_case

pytestmark = pytest.mark.django_db


def test_first_response_and_resolution_rate_come_from_the_periods_cases():
    answered = detractor_case(customer=CustomerFactory(name="陈晨"))
    open_one = detractor_case(customer=CustomerFactory(name="刘洋"))
    Case.objects.filter(pk=answered.pk).update(
        status="resolved",
        first_response_at=F("created_at") + dt.timedelta(hours=2),
        resolved_at=F("created_at") + dt.timedelta(hours=5),
    )
    opened = timezone.localtime(answered.created_at)
    period = f"{opened.year}Q{(opened.month - 1) // 3 + 1}"

    rows = {r["code"]: r for r in evaluation_compute(period=period).result["indicators"]}

    assert rows["first_response_time"]["value"] == 2.0
    assert rows["resolution_rate"]["value"] == 50.0  # one of the two opened cases resolved
    assert customers_with_open_cases() == {open_one.customer_id}


def test_overdue_cases_are_listed_for_the_digest():
    case = detractor_case(customer=CustomerFactory(name="王磊"))
    Case.objects.filter(pk=case.pk).update(due_at=F("created_at") - dt.timedelta(hours=1))
    assert [row["id"] for row in overdue_cases()] == [case.pk]
