"""Churn risk and lifecycle stages for a CLV run: reads the satisfaction signals known up to the
run's date, runs the pure model (analytics.churn) and hands the per-customer columns back to
analytics.evaluations.clv_runs, which stores them with the run — through the bulk read of the
purchases and the bulk write of the per-customer rows here (COPY both ways: at 100,000
customers and a million purchases, row objects cost minutes)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connection
from django.db.models import BigIntegerField, F, Value
from django.db.models.functions import Cast, Coalesce, Least, Round

from analytics.churn import churn_risk
from analytics.churn.lifecycle import LifecycleThresholds, lifecycle_stages
from analytics.clv.bgnbd import BgNbdParams
from analytics.evaluations.periods import local_midnight
from analytics.models import ClvRun, Purchase
from analytics.relationship.number_reads import LocalMicros, queryset_frame
from feedback.models import Case, FeedbackItem, SentimentLabel
from surveys.models import Response, ResponseStatus
from surveys.scoring.rules import nps_group


@dataclass
class ChurnColumns:
    """Aligned with the customer index given: risk (NaN under the rule), band, stage…"""

    risk: np.ndarray
    band: np.ndarray
    stage: np.ndarray
    rhythm: np.ndarray
    last_gap: np.ndarray
    spend_trend: np.ndarray
    backtest: dict


def default_horizon() -> int:
    return int(settings.SURVEYHUB_CHURN_HORIZON_DAYS)


def thresholds() -> LifecycleThresholds:
    return LifecycleThresholds(
        new_days=settings.SURVEYHUB_LIFECYCLE_NEW_DAYS,
        lost_days=settings.SURVEYHUB_LIFECYCLE_LOST_DAYS,
        lost_risk=settings.SURVEYHUB_LIFECYCLE_LOST_RISK_PCT / 100.0,
        declining_risk=settings.SURVEYHUB_LIFECYCLE_DECLINING_RISK_PCT / 100.0,
        declining_gap_ratio=float(settings.SURVEYHUB_LIFECYCLE_DECLINING_GAP_RATIO),
    )


def churn_columns(
    frame: pd.DataFrame,
    *,
    as_of: dt.date,
    horizon_days: int,
    index: pd.Index,
    bgnbd: BgNbdParams | None = None,
) -> ChurnColumns:
    """Churn risk, band and lifecycle stage of the customers of `index` as of `as_of`
    (`bgnbd`: the run's own fit, time in days)."""
    result = churn_risk(
        frame,
        as_of=as_of,
        horizon_days=horizon_days,
        signals=satisfaction_signals(end=as_of),
        bgnbd=bgnbd,
    )
    out = result.frame.reindex(index)
    stages = lifecycle_stages(out, out["churn_risk"].to_numpy(), thresholds())
    return ChurnColumns(
        risk=out["churn_risk"].to_numpy(dtype="float64"),
        band=out["churn_band"].fillna("").to_numpy(dtype=object),
        stage=stages,
        rhythm=out["rhythm_days"].to_numpy(dtype="float64"),
        last_gap=out["last_gap_days"].to_numpy(dtype="float64"),
        spend_trend=out["spend_trend"].fillna(0.0).to_numpy(dtype="float64"),
        backtest=result.backtest.as_dict(),
    )


def satisfaction_signals(*, end: dt.date) -> pd.DataFrame:
    """customer_id, at (naive local), kind: NPS answers by group, negative feedback, cases
    opened and closed — everything known up to the end of `end` (local day). Read as numbers
    (see numbers_frame): 100,000 answers are a fraction of a second, not a Python loop."""
    until = local_midnight(end + dt.timedelta(days=1))
    columns = ["customer_id", "at", "code"]
    answers = Response.objects.order_by().filter(
        status=ResponseStatus.COMPLETED, customer__isnull=False, nps_score__isnull=False,
        completed_at__lt=until,
    ).annotate(at=LocalMicros(F("completed_at")))  # fmt: skip
    nps = queryset_frame(answers.values_list("customer_id", "at", "nps_score"), columns)
    groups = np.array([str(nps_group(score)) for score in range(11)], dtype=object)
    negative = (
        FeedbackItem.objects.order_by()
        .filter(
            customer__isnull=False, sentiment_label=SentimentLabel.NEGATIVE, created_at__lt=until
        )
        .annotate(at=LocalMicros(F("created_at")), code=Value(0))
    )
    cases = Case.objects.order_by().filter(customer__isnull=False, created_at__lt=until)
    opened = cases.annotate(at=LocalMicros(F("created_at")), code=Value(0))
    closed = (
        cases.annotate(  # the earlier of the two that are set (SQLite's min() is NULL on a NULL)
            ended=Least(Coalesce("closed_at", "resolved_at"), Coalesce("resolved_at", "closed_at"))
        )
        .filter(ended__lt=until)
        .annotate(at=LocalMicros(F("ended")), code=Value(0))
    )
    parts = [nps.assign(kind=groups[nps["code"].to_numpy()] if len(nps) else [])]
    for kind, queryset in (("negative", negative), ("case_opened", opened),
                           ("case_closed", closed)):  # fmt: skip
        part = queryset_frame(queryset.values_list("customer_id", "at", "code"), columns)
        parts.append(part.assign(kind=kind))
    signals = pd.concat(parts, ignore_index=True).drop(columns="code")
    if signals.empty:
        return pd.DataFrame(columns=["customer_id", "at", "kind"])
    signals["at"] = pd.to_datetime(signals["at"].to_numpy(), unit="us")
    return signals


# Bulk read and write of a CLV run ---------------------------------------------------------


def purchase_history(*, end: dt.date) -> pd.DataFrame:
    """The purchases (refunds included, as negative amounts) up to the local day `end`,
    inclusive, as the narrow frame the CLV run computes on: customer_id, order_id, ordered_at
    (naive local time), amount — read as numbers in one aggregated row, never row objects.

    ``order_id`` holds the purchase's primary key: order ids are unique, so the key stands in
    for them one-to-one wherever orders are counted, without a million strings in memory."""
    until = local_midnight(end + dt.timedelta(days=1))
    purchases = (
        Purchase.objects.order_by()
        .filter(ordered_at__lt=until)
        .annotate(
            at=LocalMicros(F("ordered_at")),
            cents=Cast(Round(F("amount") * 100), BigIntegerField()),
        )
        .values_list("customer_id", "id", "at", "cents")
    )
    frame = queryset_frame(purchases, ["customer_id", "order_id", "ordered_at", "amount"])
    # Cents ÷ 100 is the double nearest the decimal amount, as float(Decimal) would give.
    frame["amount"] = frame["amount"].to_numpy(dtype="float64") / 100.0
    frame["ordered_at"] = pd.to_datetime(frame["ordered_at"].to_numpy(), unit="us")
    return frame


# Columns of analytics_customervalue written by COPY, in order, by kind.
_INTEGER = ("frequency", "recency_days", "orders", "r_score", "f_score", "m_score")
_FLOAT = ("recency", "T", "monetary", "p_alive", "expected_orders_1y", "spend_trend")
_NULLABLE_FLOAT = ("churn_risk", "rhythm_days", "last_gap_days")
_MONEY = ("spend", "clv", "value_at_stake")
_TEXT = ("rfm_segment", "value_tier", "churn_band", "lifecycle_stage")


def customer_values_copy(*, run_id: int, customer_ids, columns: dict[str, np.ndarray]) -> int:
    """Write the per-customer rows of a run in one COPY. `columns` maps every field above to
    an array aligned with `customer_ids`; NaN in a nullable float is NULL, money is rounded
    to cents (not a number: 0), as the model fields would store it. Returns the rows written.

    Each column is formatted in one go (%-formatting a whole column, repr for floats: the
    exact double round-trips) and the rows are joined, in COPY's text format."""
    ids = np.asarray(customer_ids, dtype="int64")
    n = len(ids)
    out = [[str(int(run_id))] * n, _formatted("%d", ids)]
    names = ["run_id", "customer_id"]
    for name in _INTEGER:
        out.append(_formatted("%d", np.asarray(columns[name]).astype("int64")))
    for name in _FLOAT + _NULLABLE_FLOAT:
        values = _formatted("%r", np.asarray(columns[name], dtype="float64"))
        if name in _NULLABLE_FLOAT:
            values = [r"\N" if v == "nan" else v for v in values]
        out.append(values)
    for name in _MONEY:
        values = np.asarray(columns[name], dtype="float64")
        out.append(_formatted("%.2f", np.where(np.isfinite(values), values, 0.0)))
    for name in _TEXT:
        values = [str(v) for v in np.asarray(columns[name], dtype=object).tolist()]
        if any(_UNSAFE.search(v) for v in set(values)):
            raise ValueError(f"{name}: a code with a tab, newline or backslash")
        out.append(values)
    names += [*_INTEGER, *_FLOAT, *_NULLABLE_FLOAT, *_MONEY, *_TEXT]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy_rows(cursor, names, out)
        else:  # the embedded default: the demo's few hundred customers
            _insert_rows(cursor, names, out)
        figures = _segment_figures(columns, clv_cents=out[names.index("clv")])
        ClvRun.objects.filter(pk=run_id).update(segment_figures=figures)
        if connection.vendor == "postgresql":
            # The run replaces the rows the planner knew of: without fresh statistics of the
            # columns the pages filter on, the at-risk list and the segment and lifecycle
            # pages are planned for a handful of rows, not 100,000 (ten times as long).
            cursor.execute(
                "ANALYZE analytics_customervalue (run_id, churn_band, lifecycle_stage, rfm_segment)"
            )
    return n


def _copy_rows(cursor, names: list[str], columns: list[list[str]]) -> None:
    from psycopg import sql

    text = "".join(f"{row}\n" for row in map("\t".join, zip(*columns, strict=True)))
    query = sql.SQL("COPY analytics_customervalue ({names}) FROM STDIN").format(
        names=sql.SQL(", ").join(sql.Identifier(c) for c in names)
    )
    with cursor.copy(query) as copy:
        copy.write(text)


def _insert_rows(cursor, names: list[str], columns: list[list[str]]) -> None:
    """The same rows by INSERT; the column's type turns the formatted text into its value."""
    quoted = ", ".join(connection.ops.quote_name(c) for c in names)
    placeholders = ", ".join(["%s"] * len(names))
    rows = [[None if v == r"\N" else v for v in row] for row in zip(*columns, strict=True)]
    insert = f"INSERT INTO analytics_customervalue ({quoted}) VALUES ({placeholders})"  # noqa: S608 (names: this module's constants)
    cursor.executemany(insert, rows)


def _segment_figures(columns: dict[str, np.ndarray], *, clv_cents: list[str]) -> list[dict]:
    """Per RFM segment × lifecycle stage, from the rows as written: customers, CLV sum (exact:
    of the written cents), churn risks' count and sum, high-risk customers — what the segment
    pages show, so that they only count the NPS answers (which keep coming after the run)."""
    frame = pd.DataFrame(
        {
            "rfm_segment": np.asarray(columns["rfm_segment"], dtype=object),
            "lifecycle_stage": np.asarray(columns["lifecycle_stage"], dtype=object),
            "cents": [round(float(v) * 100) for v in clv_cents],
            "risk": np.asarray(columns["churn_risk"], dtype="float64"),
            "high": np.asarray(columns["churn_band"], dtype=object) == "high",
        }
    )
    groups = frame.groupby(["rfm_segment", "lifecycle_stage"], sort=True)
    figures = groups.agg(
        customers=("cents", "size"), cents=("cents", "sum"), churn_n=("risk", "count"),
        churn_sum=("risk", "sum"), high=("high", "sum"),
    ).reset_index()  # fmt: skip
    return [
        {
            "rfm_segment": row.rfm_segment,
            "lifecycle_stage": row.lifecycle_stage,
            "customers": int(row.customers),
            "clv_sum": str(Decimal(int(row.cents)) / 100),
            "churn_n": int(row.churn_n),
            "churn_sum": float(row.churn_sum),
            "high": int(row.high),
        }
        for row in figures.itertuples(index=False)
    ]


_UNSAFE = re.compile(r"[\t\n\r\\]")


def _formatted(spec: str, values: np.ndarray) -> list[str]:
    """Every value of a column through one %-format, in a single C-level formatting call."""
    if not len(values):
        return []
    return ((spec + "\x00") * len(values) % tuple(values.tolist())).split("\x00")[:-1]
