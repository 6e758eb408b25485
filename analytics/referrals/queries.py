"""Reads of referrals: the referral rate and word-of-mouth value of a period, and one
customer's referrals (who referred them, whom they referred) for the 360 page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Sum

from analytics.evaluations.periods import local_zone
from analytics.metrics.referrals import ReferralResult, referral_result
from analytics.models import ClvRun, CustomerValue, Purchase, Referral, ReferralCode
from surveys.models import Response, ResponseStatus
from surveys.scoring.rules import NPS_PROMOTER_MIN


def _promoter_answers(start: dt.date | None, end: dt.date | None):
    answers = Response.objects.filter(
        status=ResponseStatus.COMPLETED, nps_score__gte=NPS_PROMOTER_MIN
    )
    zone = local_zone()
    if start is not None:
        answers = answers.filter(completed_at__gte=dt.datetime.combine(start, dt.time(), zone))
    if end is not None:
        next_day = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), zone)
        answers = answers.filter(completed_at__lt=next_day)
    return answers


def referral_summary(*, start: dt.date | None = None, end: dt.date | None = None) -> ReferralResult:
    """Referral rate of the promoters who answered between `start` and `end` (local dates,
    inclusive; open when None), and the word-of-mouth value of every referred customer
    (purchases net of refunds, CLV of the latest run). A promoter is a customer, or one
    answer of an unknown respondent."""
    answers = _promoter_answers(start, end)
    referred_by_customer = ReferralCode.objects.filter(
        customer_id=OuterRef("customer_id"), referrals__isnull=False
    )
    referred_by_answer = ReferralCode.objects.filter(
        response_id=OuterRef("pk"), referrals__isnull=False
    )
    known = answers.filter(customer__isnull=False)
    anonymous = answers.filter(customer__isnull=True)
    promoters = known.values("customer_id").distinct().count() + anonymous.count()
    referring = (
        known.filter(Exists(referred_by_customer)).values("customer_id").distinct().count()
        + anonymous.filter(Exists(referred_by_answer)).count()
    )
    referred = Referral.objects.values("referred_id")
    purchases = Purchase.objects.filter(customer_id__in=referred).aggregate(
        orders=Count("pk", filter=Q(is_refund=False)), spend=Sum("amount")
    )
    run_id = ClvRun.objects.order_by("-as_of", "-id").values_list("pk", flat=True).first()
    clv = CustomerValue.objects.filter(run_id=run_id, customer_id__in=referred).aggregate(
        clv=Sum("clv")
    )["clv"]
    return referral_result(
        promoters=promoters, referring_promoters=referring,
        referred_customers=Referral.objects.count(), orders=purchases["orders"] or 0,
        spend=purchases["spend"], clv=clv,
    )  # fmt: skip


def referral_numbers(*, start: dt.date | None = None, end: dt.date | None = None) -> dict:
    """`referral_summary` as JSON-ready numbers, for the workspace's kept figures (the
    page reads them from one row; counting distinct promoters at each view cost 0.5 s)."""
    result = referral_summary(start=start, end=end)
    return {
        "promoters": result.promoters, "referring_promoters": result.referring_promoters,
        "rate": result.rate, "referred_customers": result.referred_customers,
        "orders": result.orders, "spend": float(result.spend), "clv": float(result.clv),
        "value": float(result.value),
    }  # fmt: skip


@dataclass(frozen=True)
class CustomerReferrals:
    code: ReferralCode | None  # the customer's own code, when they were a promoter
    referred_by: Referral | None  # how this customer came (the code and its promoter)
    referred: list[Referral]  # the customers this customer's code brought


def customer_referrals(customer_id: int) -> CustomerReferrals:
    """One customer's referrals, both ways (three queries)."""
    code = ReferralCode.objects.filter(customer_id=customer_id).first()
    referred_by = (
        Referral.objects.select_related("code__customer", "code__response")
        .filter(referred_id=customer_id)
        .first()
    )
    referred = (
        list(Referral.objects.select_related("referred").filter(code=code)[:50]) if code else []
    )
    return CustomerReferrals(code=code, referred_by=referred_by, referred=referred)
