"""Segments you can act on: RFM segments and lifecycle stages of the latest CLV run, each with
its size, value, churn, NPS and the playbook (strategy) staff keep for it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Q, Sum

from analytics.evaluations.segments import segment_label
from analytics.metrics.rfm import SEGMENTS
from analytics.models import ChurnBand, ClvRun, CustomerValue, LifecycleStage, SegmentPlaybook
from surveys.models import Response, ResponseStatus
from surveys.scoring.rules import NPS_DETRACTOR_MAX, NPS_PROMOTER_MIN

KINDS = ("rfm", "stage")
PLAYBOOK_MAX = 5000
TREND_RUNS = 6


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
    and the playbook of each segment. The figures per RFM segment × stage are kept with the
    run; the NPS answers are counted in one grouped query over the run's rows (one segment
    asked for: only its members, through the run's segment or stage index)."""
    keys = keys or segment_keys()
    playbooks = {(p.kind, p.code): p for p in SegmentPlaybook.objects.all()}
    only = keys[0] if len(keys) == 1 else None
    stats: dict[tuple[str, str], dict] = {}
    for row in _figures(run, only):
        for key in (("rfm", row["rfm_segment"]), ("stage", row["lifecycle_stage"])):
            total = stats.setdefault(key, dict.fromkeys(("customers", "churn_n", "high"), 0))
            for name in ("customers", "churn_n", "high"):
                total[name] += row[name]
            total["clv_sum"] = total.get("clv_sum", Decimal(0)) + Decimal(row["clv_sum"] or 0)
            total["churn_sum"] = total.get("churn_sum", 0.0) + (row["churn_sum"] or 0.0)
    nps = _nps_by_segment(run, only)
    rows = []
    for key in keys:
        row = stats.get((key.kind, key.code), {})
        n = row.get("customers", 0)
        playbook = playbooks.get((key.kind, key.code))
        rows.append({
            "kind": key.kind, "code": key.code, "label": key.label, "customers": n,
            "clv_sum": row.get("clv_sum") or 0,
            "clv_mean": row["clv_sum"] / n if n else 0,
            "churn_mean": row["churn_sum"] / row["churn_n"] if row.get("churn_n") else None,
            "high_risk_share": round(100.0 * row.get("high", 0) / n, 1) if n else None,
            "nps": nps.get((key.kind, key.code), {"value": None, "n": 0}),
            "playbook": playbook.text if playbook else "",
            "key": key,
        })  # fmt: skip
    return rows


def segment_trend(key: SegmentKey, *, runs: int = TREND_RUNS) -> list[dict]:
    """The segment over the latest CLV runs, oldest first: as of, customers, total CLV, mean
    churn risk — from the figures kept with each run (one query for the runs)."""
    latest = list(ClvRun.objects.order_by("-as_of", "-id")[:runs])
    points = []
    for run in reversed(latest):
        customers, clv, churn_n, churn_sum = 0, Decimal(0), 0, 0.0
        for row in _figures(run, key):
            customers += row["customers"]
            clv += Decimal(row["clv_sum"] or 0)
            churn_n += row["churn_n"]
            churn_sum += row["churn_sum"] or 0.0
        points.append({
            "as_of": run.as_of, "customers": customers, "clv_sum": clv,
            "churn_mean": churn_sum / churn_n if churn_n else None,
        })  # fmt: skip
    return points


def _figures(run: ClvRun, only: SegmentKey | None) -> list[dict]:
    """The run's figures per RFM segment × stage: kept with the run when it was written,
    counted from its rows for runs written before they were kept."""
    if run.segment_figures:
        return [r for r in run.segment_figures if only is None or r[only.field] == only.code]
    values = CustomerValue.objects.filter(run=run)
    if only is not None:
        values = values.filter(**{only.field: only.code})
    return list(
        values.values("rfm_segment", "lifecycle_stage").order_by()
        .annotate(
            customers=Count("id"), clv_sum=Sum("clv"), churn_n=Count("churn_risk"),
            churn_sum=Sum("churn_risk"), high=Count("id", filter=Q(churn_band=ChurnBand.HIGH)),
        )
    )  # fmt: skip


def _nps_by_segment(run: ClvRun, only: SegmentKey | None) -> dict[tuple[str, str], dict]:
    """NPS of the completed answers of each segment's members (all of them, as answered up to
    now): one query joining the answers to the run's rows on the customer, grouped by RFM
    segment × stage."""
    quote = connection.ops.quote_name
    only_sql = "" if only is None else f" AND v.{quote(only.field)} = %s"
    # Names: the models' tables and a SegmentKey field; every value a parameter.
    query = (
        "SELECT v.rfm_segment, v.lifecycle_stage, count(*),"  # noqa: S608
        " count(*) FILTER (WHERE r.nps_score >= %s), count(*) FILTER (WHERE r.nps_score <= %s)"
        f" FROM {quote(Response._meta.db_table)} r"
        f" JOIN {quote(CustomerValue._meta.db_table)} v ON v.customer_id = r.customer_id"
        " WHERE v.run_id = %s AND r.status = %s AND r.nps_score IS NOT NULL"
        f"{only_sql} GROUP BY 1, 2"
    )
    params = [NPS_PROMOTER_MIN, NPS_DETRACTOR_MAX, run.pk, ResponseStatus.COMPLETED.value]
    with connection.cursor() as cursor:
        cursor.execute(query, params + ([only.code] if only else []))
        grouped = cursor.fetchall()
    counts: dict[tuple[str, str], list[int]] = {}
    for rfm, stage, n, promoters, detractors in grouped:
        for key in (("rfm", rfm), ("stage", stage)):
            total = counts.setdefault(key, [0, 0, 0])
            total[0] += n
            total[1] += promoters
            total[2] += detractors
    return {
        key: {"value": round(100.0 * (p - d) / n, 1) if n else None, "n": n}
        for key, (n, p, d) in counts.items()
    }
