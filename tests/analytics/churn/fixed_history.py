"""A fixed purchase history for the churn speed tests: 400 customers buying at their own pace
from 2024 to mid-2026 (a third stop at some point, a few refunds, several orders on one day),
NPS answers for half of them, negative feedback and service cases for a few — everything the
CLV run with churn risk and lifecycle stages reads. Seeded: the same rows every time."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np

from analytics.models import Purchase
from feedback.models import Case, FeedbackItem, SentimentLabel
from surveys.models import Response, ResponseStatus
from tests.factories import CustomerFactory, FeedbackItemFactory, published_survey

SHANGHAI = ZoneInfo("Asia/Shanghai")
AS_OF = dt.date(2026, 6, 30)
CUSTOMERS = 400


def make_history() -> list:
    """Create the customers, purchases and signals; returns the customers in order."""
    rng = np.random.default_rng(16)
    survey = published_survey(consent_text="")
    customers, purchases, answers = [], [], []
    start = dt.datetime(2024, 3, 1, 9, tzinfo=SHANGHAI)
    end = dt.datetime(2026, 6, 30, 21, tzinfo=SHANGHAI)
    for n in range(CUSTOMERS):
        customer = CustomerFactory(external_id=f"S{n:04d}", name=f"速度客户{n:04d} 🛒")
        customers.append(customer)
        gap = float(rng.uniform(10, 120))
        when = start + dt.timedelta(
            days=float(rng.uniform(0, 700)), minutes=int(rng.integers(0, 600))
        )
        stop = when + dt.timedelta(days=float(rng.uniform(20, 600))) if n % 3 == 0 else None
        while when <= end and (stop is None or when <= stop):
            amount = Decimal(f"{rng.uniform(20, 900):.2f}")
            purchases.append(_purchase(customer, len(purchases), when, amount))
            if rng.random() < 0.08:  # a second order the same day
                purchases.append(_purchase(customer, len(purchases), when + dt.timedelta(hours=1),
                                           Decimal(f"{rng.uniform(5, 60):.2f}")))  # fmt: skip
            if rng.random() < 0.03:  # a refund
                purchases.append(_purchase(customer, len(purchases), when, -amount, refund=True))
            when += dt.timedelta(days=float(rng.exponential(gap)) + 1)
        if n % 2 == 0:
            answered = start + dt.timedelta(days=float(rng.uniform(30, 840)))
            answers.append(Response(
                survey=survey, version=survey.current_version, customer=customer,
                channel="link", status=ResponseStatus.COMPLETED,
                nps_score=int(rng.integers(0, 11)), completed_at=answered,
            ))  # fmt: skip
    Purchase.objects.bulk_create(purchases)
    Response.objects.bulk_create(answers)
    for n in range(0, CUSTOMERS, 37):
        said = dt.datetime(2026, 1, 1, tzinfo=SHANGHAI) + dt.timedelta(days=n // 4)
        item = FeedbackItemFactory(customer=customers[n], text="物流太慢了，很失望 😞",
                                   sentiment_label=SentimentLabel.NEGATIVE)  # fmt: skip
        case = Case.objects.create(customer=customers[n + 5], priority="p3")
        FeedbackItem.objects.filter(pk=item.pk).update(created_at=said)
        Case.objects.filter(pk=case.pk).update(created_at=said)
    return customers


def _purchase(customer, number: int, when, amount: Decimal, *, refund: bool = False) -> Purchase:
    return Purchase(
        customer=customer,
        order_id=f"S{number:06d}",
        ordered_at=when,
        amount=amount,
        category=("服装", "鞋履", "美妆")[number % 3],
        is_refund=refund,
    )
