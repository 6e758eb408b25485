"""Satisfaction × behaviour: NPS groups of customers, their later buying, value at risk."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from analytics.evaluations.periods import Period, local_midnight
from analytics.metric_queries.filters import MetricFilters, completed_responses, latest_clv_run
from analytics.metric_queries.purchase_metrics import purchases_frame
from analytics.metrics import loyalty
from analytics.models import CustomerValue, Purchase
from feedback.models.cases import OPEN_CASE_STATUSES, Case
from surveys.scoring.rules import NpsGroup, nps_group

# Satisfaction × behaviour ----------------------------------------------------------------


def nps_group_of_customers(*, period: Period, filters: MetricFilters = MetricFilters()) -> dict:
    """customer id → "promoter" / "passive" / "detractor": their latest NPS answer in the period."""
    rows = (
        completed_responses(filters.for_period(period))
        .filter(customer__isnull=False, nps_score__isnull=False)
        .order_by("customer_id", "-completed_at", "-pk")
        .values_list("customer_id", "nps_score")
    )
    latest: dict[int, int] = {}
    for customer_id, score in rows.iterator(chunk_size=5000):
        latest.setdefault(customer_id, score)
    return {c: nps_group(s).value for c, s in latest.items()}


def behaviour_by_nps_group(*, period: Period, filters: MetricFilters = MetricFilters()) -> dict:
    """For the customers of each NPS group in `period`: their retention into the next period
    (ordered in both ÷ ordered in this one) and their repurchase rate in the next period."""
    groups = nps_group_of_customers(period=period, filters=filters)
    following = period.next()
    orders = purchases_frame(start=period.start, end=following.end, customer_ids=list(groups))
    result = {}
    for group in NpsGroup:
        members = [c for c, g in groups.items() if g == group]
        mine = orders[orders["customer_id"].isin(members)]
        result[group.value] = {
            "customers": len(members),
            "retention_rate": loyalty.retention_rate(
                mine, previous=period.window(), current=following.window()
            ),
            "repurchase_rate_next_period": loyalty.repurchase_rate(mine, window=following.window()),
        }
    return result


def customers_with_open_cases() -> set[int]:
    """Customers with an open triage case (their value is at risk until it is resolved)."""
    return set(
        Case.objects.filter(status__in=OPEN_CASE_STATUSES, customer__isnull=False)
        .values_list("customer_id", flat=True)
        .distinct()
    )


@dataclass(frozen=True)
class ValueAtRisk:
    detractors: int
    detractor_revenue: Decimal
    detractor_clv: Decimal
    open_case_customers: int
    open_case_clv: Decimal


def value_at_risk(*, period: Period, filters: MetricFilters = MetricFilters()) -> ValueAtRisk:
    """Revenue in the period and CLV (latest run) of detractors and of customers with open cases."""
    groups = nps_group_of_customers(period=period, filters=filters)
    detractors = [c for c, g in groups.items() if g == NpsGroup.DETRACTOR]
    revenue = Purchase.objects.filter(
        customer_id__in=detractors,
        ordered_at__gte=local_midnight(period.start),
        ordered_at__lt=local_midnight(period.end_exclusive),
    ).aggregate(total=Sum("amount"))["total"]
    run = latest_clv_run()
    values = CustomerValue.objects.filter(run=run)
    clv = values.filter(customer_id__in=detractors).aggregate(total=Sum("clv"))["total"]
    with_cases = customers_with_open_cases()
    case_clv = values.filter(customer_id__in=with_cases).aggregate(total=Sum("clv"))["total"]
    return ValueAtRisk(
        detractors=len(detractors),
        detractor_revenue=revenue or Decimal("0"),
        detractor_clv=clv or Decimal("0"),
        open_case_customers=len(with_cases),
        open_case_clv=case_clv or Decimal("0"),
    )
