"""Relationship analytics in the API: churn risk (the warning list and the model behind it)
and lifecycle stages (counts, flow quarter over quarter, NPS/CSAT per stage)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.api.evaluations import CanReadEvaluations
from analytics.models import ChurnBand
from analytics.relationship.queries import (
    at_risk_rows,
    at_risk_values,
    latest_run,
    model_in_words,
    previous_run,
    satisfaction_by_stage,
    stage_counts,
    stage_transitions,
)
from analytics.relationship.segments import segment_rows
from surveys.privacy.access_log import personal_data_listed


def _run_json(run) -> dict:
    return {"id": run.pk, "as_of": run.as_of.isoformat(),
            "horizon_days": run.churn_horizon_days}  # fmt: skip


class ChurnView(APIView):
    permission_classes = [CanReadEvaluations]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "band",
                OpenApiTypes.STR,
                enum=["high", "medium"],
                description="high (default), or high and medium",
            ),
            OpenApiParameter("page", OpenApiTypes.INT),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        """Customers at risk of churning (latest CLV run), highest value at stake (CLV × risk)
        first, with their reasons in words, and the churn model's back-test (AUC,
        calibration) or the rule used when history was too short."""
        run = latest_run()
        if run is None:
            return Response({"run": None, "model": None, "count": 0, "next": None,
                             "previous": None, "results": []})  # fmt: skip
        band = ChurnBand.MEDIUM if request.query_params.get("band") == "medium" else ChurnBand.HIGH
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(at_risk_values(run, band=band), request, view=self)
        rows = at_risk_rows(list(page))
        personal_data_listed(request, resource="customers_at_risk", count=len(rows))
        results = [
            {
                "customer": r.value.customer_id, "external_id": r.value.customer.external_id,
                "name": r.value.customer.name,
                "churn_risk": None if r.value.churn_risk is None else round(r.value.churn_risk, 4),
                "churn_band": r.value.churn_band, "clv": str(r.value.clv),
                "value_at_stake": str(r.value.value_at_stake),
                "days_since_last_order": r.value.recency_days,
                "usual_days_between_orders": r.value.rhythm_days,
                "lifecycle_stage": r.value.lifecycle_stage, "last_nps": r.last_nps,
                "open_case": r.open_case_id, "reasons": r.reasons,
            }
            for r in rows
        ]  # fmt: skip
        reply = paginator.get_paginated_response(results)
        reply.data["run"] = _run_json(run)
        reply.data["model"] = {**run.churn_backtest, "in_words": model_in_words(run)}
        return reply


class LifecycleView(APIView):
    permission_classes = [CanReadEvaluations]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        """Customers per lifecycle stage (latest CLV run), the flow from the run about a
        quarter earlier (from-stage × to-stage counts; "" = not a customer then), and NPS and
        CSAT top-2-box per stage."""
        run = latest_run()
        if run is None:
            return Response({"run": None, "stages": [], "transitions": None,
                             "satisfaction": []})  # fmt: skip
        return Response(
            {
                "run": _run_json(run),
                "stages": stage_counts(run),
                "transitions": stage_transitions(run, previous_run(run)),
                "satisfaction": satisfaction_by_stage(run),
            }
        )


class SegmentsView(APIView):
    permission_classes = [CanReadEvaluations]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        """Every RFM segment and lifecycle stage of the latest CLV run: customers, total and
        mean CLV, mean churn risk, share at high risk, NPS of the members' answers (with n)
        and the playbook (the strategy staff keep for the segment)."""
        run = latest_run()
        if run is None:
            return Response({"run": None, "segments": []})
        rows = [
            {
                "kind": r["kind"], "code": r["code"], "label": r["label"],
                "customers": r["customers"], "clv_sum": str(round(r["clv_sum"], 2)),
                "clv_mean": str(round(r["clv_mean"], 2)),
                "churn_mean": None if r["churn_mean"] is None else round(r["churn_mean"], 4),
                "high_risk_share": r["high_risk_share"], "nps": r["nps"],
                "playbook": r["playbook"],
            }
            for r in segment_rows(run)
        ]  # fmt: skip
        return Response({"run": _run_json(run), "segments": rows})
