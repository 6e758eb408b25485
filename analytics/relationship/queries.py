"""Reads of relationship analytics: the churn warning list with its reasons in words, the
churn model's quality in words, lifecycle counts, flows and satisfaction per stage."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

import pandas as pd
from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from analytics.metrics import loyalty
from analytics.models import ChurnBand, ClvRun, CustomerValue, LifecycleStage, Purchase
from analytics.relationship.number_reads import LocalQuarterMicros, numbers_by_key
from feedback.models import Case
from feedback.models.cases import OPEN_CASE_STATUSES
from surveys.models import Response, ResponseStatus
from surveys.scoring.expressions import nps_group_counts
from surveys.scoring.rules import CSAT_SATISFIED_MIN, NpsGroup, nps_group

PAGE_SIZE = 50
SPEND_FALLING_BELOW = -0.3  # log ratio of the last order to the earlier mean: about −26%
GAP_WORTH_SAYING = 1.5  # days since the last order ≥ 1.5 × the own mean gap


def latest_run() -> ClvRun | None:
    return ClvRun.objects.order_by("-as_of", "-id").first()


def at_risk_values(run: ClvRun, *, band: str = ChurnBand.HIGH) -> QuerySet[CustomerValue]:
    """Customers of `run` in the high band (or high and medium), highest value at stake first;
    without a model (no risk numbers) highest CLV first."""
    bands = [ChurnBand.HIGH] if band == ChurnBand.HIGH else [ChurnBand.HIGH, ChurnBand.MEDIUM]
    return (
        CustomerValue.objects.filter(run=run, churn_band__in=bands)
        .select_related("customer")
        .order_by("-value_at_stake", "-clv", "customer_id")
    )


@dataclass
class AtRiskRow:
    value: CustomerValue
    reasons: list[str] = field(default_factory=list)
    last_nps: int | None = None
    open_case_id: int | None = None


def at_risk_rows(values: list[CustomerValue]) -> list[AtRiskRow]:
    """The reasons in words of each customer on a page of the list (two queries a page)."""
    ids = [v.customer_id for v in values]
    last_nps: dict[int, int] = {}
    answers = (
        Response.objects.filter(
            customer_id__in=ids, status=ResponseStatus.COMPLETED, nps_score__isnull=False
        )
        .order_by("customer_id", "-completed_at", "-id")
        .values_list("customer_id", "nps_score")
    )
    for customer_id, score in answers:
        last_nps.setdefault(customer_id, score)
    open_cases: dict[int, int] = {}
    for customer_id, case_id in (
        Case.objects.filter(customer_id__in=ids, status__in=OPEN_CASE_STATUSES)
        .order_by("customer_id", "-created_at")
        .values_list("customer_id", "id")
    ):
        open_cases.setdefault(customer_id, case_id)
    rows = []
    for value in values:
        row = AtRiskRow(value, last_nps=last_nps.get(value.customer_id),
                        open_case_id=open_cases.get(value.customer_id))  # fmt: skip
        row.reasons = reasons_in_words(value, row.last_nps, row.open_case_id)
        rows.append(row)
    return rows


def reasons_in_words(value: CustomerValue, last_nps: int | None, open_case: int | None):
    """Why a customer is on the list, in the reader's language."""
    reasons = []
    days = value.recency_days
    if value.rhythm_days and days >= GAP_WORTH_SAYING * value.rhythm_days:
        reasons.append(
            _("No order for %(days)d days, %(ratio).1f× their usual %(rhythm)d days between orders")
            % {"days": days, "ratio": days / value.rhythm_days, "rhythm": round(value.rhythm_days)}
        )
    elif value.orders <= 1 or value.rhythm_days is None:
        reasons.append(
            ngettext(
                "Bought once, %(days)d day ago", "Bought once, %(days)d days ago", days
            ) % {"days": days}
        )  # fmt: skip
    else:
        reasons.append(
            ngettext("Last order %(days)d day ago", "Last order %(days)d days ago", days)
            % {"days": days}
        )
    if value.spend_trend <= SPEND_FALLING_BELOW:
        reasons.append(_("Spend falling: the last order was smaller than their earlier ones"))
    if last_nps is not None and nps_group(last_nps) is NpsGroup.DETRACTOR:
        reasons.append(_("Last NPS answer %(score)d (a detractor)") % {"score": last_nps})
    if open_case is not None:
        reasons.append(_("Open service case #%(id)d") % {"id": open_case})
    return reasons


def model_in_words(run: ClvRun) -> list[str]:
    """What the churn numbers rest on: the back-test's quality, or the rule and why."""
    bt = run.churn_backtest or {}
    horizon = run.churn_horizon_days
    if bt.get("method") != "model":
        why = {
            "few_customers": _("too few customers with purchases"),
            "short_history": _("the purchase history is too short"),
            "one_class": _("almost everyone (or almost no one) bought again"),
        }.get(bt.get("reason", ""), _("too little purchase history"))
        return [
            _("No churn probabilities: %(why)s for a model.") % {"why": why},
            _(
                "Bands by a stated rule instead: high when the days since the last order exceed "
                "twice the customer's usual gap and %(h)d days; medium when they exceed the usual "
                "gap (one-time buyers: half of %(h)d days)."
            ) % {"h": horizon},
        ]  # fmt: skip
    lines = [
        _(
            "Churn risk = probability of no order within %(h)d days, from a logistic model "
            "checked by a back-test: fitted on purchases up to %(cutoff)s, compared with the "
            "%(w)d days after."
        ) % {"h": horizon, "cutoff": bt.get("cutoff", ""), "w": bt.get("window_days", 0)},
        _(
            "Back-test AUC %(auc).2f (days since the last order alone: %(recency).2f); predicted "
            "%(pred).0f%% without an order, observed %(obs).0f%%."
        ) % {
            "auc": bt.get("auc") or 0, "recency": bt.get("recency_auc") or 0,
            "pred": 100 * (bt.get("mean_predicted") or 0),
            "obs": 100 * (bt.get("observed_share") or 0),
        },
    ]  # fmt: skip
    if bt.get("window_days", 0) < horizon:
        lines.append(
            _(
                "The history allowed a back-test of %(w)d days only: the level over %(h)d days "
                "follows the BG/NBD model's forecast."
            ) % {"w": bt.get("window_days", 0), "h": horizon}
        )  # fmt: skip
    gain = bt.get("signals_auc_gain")
    if gain is None:
        lines.append(_("Satisfaction signals: none recorded yet, not used."))
    elif bt.get("signals_used"):
        lines.append(
            _("Satisfaction signals (last NPS, negative feedback, open cases) used: AUC %(g)+.3f.")
            % {"g": gain}
        )
    else:
        lines.append(
            _("Satisfaction signals tried but not used: they changed the AUC by %(g)+.3f only.")
            % {"g": gain}
        )
    return lines


# Lifecycle -------------------------------------------------------------------------------


def stage_counts(run: ClvRun) -> list[dict]:
    """Customers per stage, in the stages' order, with their share and CLV."""
    counts = dict(
        CustomerValue.objects.filter(run=run)
        .order_by()  # the model's ordering would join the run and customer tables
        .values_list("lifecycle_stage")
        .annotate(n=Count("id"))
        .values_list("lifecycle_stage", "n")
    )
    total = sum(counts.values()) or 1
    return [
        {"stage": s.value, "label": str(s.label), "customers": counts.get(s.value, 0),
         "share": round(100.0 * counts.get(s.value, 0) / total, 1)}
        for s in LifecycleStage
    ]  # fmt: skip


def previous_run(run: ClvRun, *, days: int = 80) -> ClvRun | None:
    """The latest run with customer values at least `days` before `run` (a quarter back)."""
    return (
        ClvRun.objects.filter(as_of__lte=run.as_of - timedelta(days=days), values__isnull=False)
        .order_by("-as_of", "-id")
        .distinct()
        .first()
    )


def stage_transitions(run: ClvRun, earlier: ClvRun | None) -> dict:
    """From-stage × to-stage customer counts between two runs (customers in both)."""
    if earlier is None:
        return {"from_run": None, "rows": []}
    before = dict(
        CustomerValue.objects.filter(run=earlier)
        .order_by()
        .values_list("customer_id", "lifecycle_stage")
    )
    flows: Counter = Counter()
    now = (
        CustomerValue.objects.filter(run=run)
        .order_by()
        .values_list("customer_id", "lifecycle_stage")
    )
    for customer_id, stage in now.iterator(chunk_size=10000):
        flows[(before.get(customer_id, ""), stage)] += 1
    stages = [s.value for s in LifecycleStage]
    rows = [
        {"from": f, "from_label": _stage_label(f),
         "to": {t: flows.get((f, t), 0) for t in stages}}
        for f in ["", *stages]
    ]  # fmt: skip
    return {"from_run": earlier.as_of.isoformat(), "rows": rows}


def _stage_label(code: str) -> str:
    if not code:
        return _("Not yet a customer")
    return str(LifecycleStage(code).label)


def satisfaction_by_stage(run: ClvRun) -> list[dict]:
    """NPS and CSAT top-2-box of each stage's customers' latest answers (all time)."""
    out = []
    for stage in LifecycleStage:
        customers = CustomerValue.objects.filter(run=run, lifecycle_stage=stage.value)
        answers = Response.objects.filter(
            status=ResponseStatus.COMPLETED, customer_id__in=customers.values("customer_id")
        ).aggregate(
            nps_n=Count("id", filter=Q(nps_score__isnull=False)),
            **nps_group_counts(on="id"),
            csat_n=Count("id", filter=Q(csat_score__isnull=False)),
            satisfied=Count("id", filter=Q(csat_score__gte=CSAT_SATISFIED_MIN)),
        )
        n, c = answers["nps_n"], answers["csat_n"]
        net = answers["promoters"] - answers["detractors"]
        out.append({
            "stage": stage.value, "label": str(stage.label), "nps_n": n,
            "nps": round(100.0 * net / n, 1) if n else None,
            "csat_n": c, "csat_top2": round(100.0 * answers["satisfied"] / c, 1) if c else None,
        })  # fmt: skip
    return out


# Cross-sell reads in bulk ----------------------------------------------------------------


def _bought_rows():
    """Purchases that count as buying: not refunds, not negative."""
    return Purchase.objects.order_by().filter(is_refund=False, amount__gte=0)


def category_histories(rows: pd.DataFrame | None = None) -> dict[int, set[str]]:
    """Customer → every category they bought (blank categories left out), from the rows of
    :func:`quarterly_category_rows` (read here unless given: the report reads them once)."""
    rows = quarterly_category_rows() if rows is None else rows
    pairs = rows.loc[rows[loyalty.CATEGORY] != "", [loyalty.CATEGORY, loyalty.CUSTOMER]]
    histories: dict[int, set[str]] = {}
    for category, customers in pairs.groupby(loyalty.CATEGORY, sort=True)[loyalty.CUSTOMER]:
        for customer in pd.unique(customers.to_numpy()).tolist():
            histories.setdefault(customer, set()).add(category)
    return histories


def quarterly_category_rows() -> pd.DataFrame:
    """One row per customer, category and local quarter they bought in (blank category
    included): customer_id, product_category, ordered_at (the quarter's first moment, naive
    local time) — the rows the quarterly cross-sell rates need."""
    rows = (
        _bought_rows()
        .annotate(quarter=LocalQuarterMicros(F("ordered_at")))
        .values_list("category", "customer_id", "quarter")
        .distinct()
    )
    query, params = rows.query.sql_with_params()
    frame = numbers_by_key(query, list(params), loyalty.CATEGORY, [loyalty.CUSTOMER, "quarter"])
    return pd.DataFrame(
        {
            loyalty.CUSTOMER: frame[loyalty.CUSTOMER].to_numpy(),
            loyalty.CATEGORY: frame[loyalty.CATEGORY].to_numpy(dtype=object),
            loyalty.ORDERED_AT: pd.to_datetime(frame["quarter"].to_numpy(), unit="us"),
        }
    )
