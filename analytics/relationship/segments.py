"""Segments you can act on: RFM segments and lifecycle stages of the latest CLV run, each with
its size, value, churn, NPS and the playbook (strategy) staff keep for it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Count, Q, Sum

from analytics.evaluations.segments import segment_label
from analytics.metrics.rfm import SEGMENTS
from analytics.models import ChurnBand, ClvRun, CustomerValue, LifecycleStage, SegmentPlaybook
from surveys.models import Response, ResponseStatus
from surveys.scoring.expressions import nps_group_counts

KINDS = ("rfm", "stage")
PLAYBOOK_MAX = 5000


@dataclass(frozen=True)
class SegmentKey:
    kind: str  # "rfm" or "stage"
    code: str

    @property
    def field(self) -> str:
        return "rfm_segment" if self.kind == "rfm" else "lifecycle_stage"

    @property
    def directory_param(self) -> str:
        return "rfm_segment" if self.kind == "rfm" else "lifecycle_stage"

    @property
    def label(self) -> str:
        if self.kind == "rfm":
            return segment_label(self.code)
        return str(LifecycleStage(self.code).label)


def segment_keys() -> list[SegmentKey]:
    return [SegmentKey("rfm", s.code) for s in SEGMENTS] + [
        SegmentKey("stage", s.value) for s in LifecycleStage
    ]


def segment_key(kind: str, code: str) -> SegmentKey | None:
    key = SegmentKey(kind, code)
    return key if key in segment_keys() else None


def segment_rows(run: ClvRun, keys: list[SegmentKey] | None = None) -> list[dict]:
    """Size, CLV (sum and mean), mean churn risk, high-risk share, NPS of members' answers
    and the playbook of each segment (two grouped queries per kind, one NPS query each)."""
    keys = keys or segment_keys()
    playbooks = {(p.kind, p.code): p for p in SegmentPlaybook.objects.all()}
    stats: dict[tuple[str, str], dict] = {}
    nps: dict[tuple[str, str], dict] = {}
    for kind in {k.kind for k in keys}:
        nps.update(_nps_by_segment(run, kind))
        field = SegmentKey(kind, "").field
        for row in (
            CustomerValue.objects.filter(run=run).values(field).order_by()
            .annotate(
                customers=Count("id"), clv_sum=Sum("clv"), clv_mean=Avg("clv"),
                churn_mean=Avg("churn_risk"),
                high=Count("id", filter=Q(churn_band=ChurnBand.HIGH)),
            )
        ):  # fmt: skip
            stats[(kind, row[field])] = row
    rows = []
    for key in keys:
        row = stats.get((key.kind, key.code), {})
        n = row.get("customers", 0)
        playbook = playbooks.get((key.kind, key.code))
        rows.append({
            "kind": key.kind, "code": key.code, "label": key.label, "customers": n,
            "clv_sum": row.get("clv_sum") or 0, "clv_mean": row.get("clv_mean") or 0,
            "churn_mean": row.get("churn_mean"),
            "high_risk_share": round(100.0 * row.get("high", 0) / n, 1) if n else None,
            "nps": nps.get((key.kind, key.code), {"value": None, "n": 0}),
            "playbook": playbook.text if playbook else "",
            "key": key,
        })  # fmt: skip
    return rows


def _nps_by_segment(run: ClvRun, kind: str) -> dict[tuple[str, str], dict]:
    """NPS of the completed answers of each segment's members: one grouped query per kind."""
    field = f"customer__evaluated_values__{SegmentKey(kind, '').field}"
    rows = (
        Response.objects.filter(
            status=ResponseStatus.COMPLETED, nps_score__isnull=False,
            customer__evaluated_values__run=run,
        )
        .values(field).order_by()
        .annotate(n=Count("id"), **nps_group_counts(on="id"))
    )  # fmt: skip
    out = {}
    for row in rows:
        n = row["n"]
        value = round(100.0 * (row["promoters"] - row["detractors"]) / n, 1) if n else None
        out[(kind, row[field])] = {"value": value, "n": n}
    return out
