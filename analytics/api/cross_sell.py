"""Cross-sell in the API: category co-purchase rules (support, confidence, lift), how many
customers have each category as their next likely one, a customer's next categories with
their evidence, and the cross-sell rate per quarter."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.api.evaluations import CanReadEvaluations
from analytics.relationship.cross_sell import (
    checked_form,
    cross_sell_report,
    customer_next,
    customer_or_error,
    known_categories,
    rule_json,
)
from surveys.privacy.access_log import personal_data_listed


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


class CrossSellView(APIView):
    permission_classes = [CanReadEvaluations]

    @extend_schema(
        parameters=[
            OpenApiParameter("category", OpenApiTypes.STR,
                             description="only rules from this category (one bought)"),
            OpenApiParameter("min_support", OpenApiTypes.DOUBLE,
                             description="0–1, default 0.01"),
            OpenApiParameter("min_confidence", OpenApiTypes.DOUBLE,
                             description="0–1, default 0.1"),
            OpenApiParameter("min_count", OpenApiTypes.INT,
                             description="customers who bought both, at least 1, default 5"),
            OpenApiParameter("min_lift", OpenApiTypes.DOUBLE,
                             description="0–1000, default 1"),
            OpenApiParameter("customer", OpenApiTypes.INT,
                             description="a customer's id: add their next likely categories"),
        ],
        responses=OpenApiTypes.OBJECT,
    )  # fmt: skip
    def get(self, request):
        """Category association rules over customer histories (A → B: support = customers
        with both ÷ customers, confidence = with both ÷ with A, lift = confidence ÷ share with
        B), the count of customers per next likely category, the cross-sell rate per quarter
        (active customers with ≥ 2 categories ÷ active customers, %) with the share of
        returning customers who bought a category new to them, and, with `customer`, that
        customer's next likely categories with the rules behind them. 400 names the field."""
        form = checked_form(request.query_params, categories=known_categories())
        customer = customer_or_error(request.query_params.get("customer"))
        thresholds = form.thresholds()
        report = cross_sell_report(thresholds, category=form.cleaned_data.get("category") or "")
        body = {
            "thresholds": {
                "min_support": thresholds.min_support,
                "min_confidence": thresholds.min_confidence,
                "min_count": thresholds.min_count,
                "min_lift": thresholds.min_lift,
            },
            "customers": report.customers,
            "categories": report.categories,
            "rules": [rule_json(r) for r in report.rules],
            "next_category_counts": [
                {"category": c, "customers": n} for c, n in report.next_counts
            ],
            "trend": [
                {
                    "quarter": q.label,
                    "start": q.start.date().isoformat(),
                    "active_customers": q.active,
                    "cross_sell_rate": _rate(q.cross_sell_rate),
                    "returning_customers": q.returning,
                    "new_category_buyers": q.new_category_buyers,
                    "new_category_share": _rate(q.new_category_share),
                }
                for q in report.trend
            ],
        }
        if customer is not None:
            personal_data_listed(request, resource="customer_next_category", count=1,
                                 object_id=customer.pk)  # fmt: skip
            body["customer"] = {
                "id": customer.pk,
                "categories": sorted(report.histories.get(customer.pk, set())),
                "next": [
                    {"category": s.category, "confidence": round(s.confidence, 4),
                     "lift": round(s.lift, 4), "evidence": [rule_json(r) for r in s.evidence]}
                    for s in customer_next(customer, report)
                ],
            }  # fmt: skip
        return Response(body)
