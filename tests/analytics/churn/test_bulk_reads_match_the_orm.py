"""The bulk reads behind the fast CLV run, cross-sell and segment pages return what the
row-by-row ORM reads they replaced returned, on a fixed history with refunds, several orders
on a day, answers, negative feedback and service cases (issue #16, "Speed")."""

import datetime as dt

import pandas as pd
import pytest
from django.db.models import Avg, Count, Q, Sum
from django.db.models.functions import TruncQuarter

from analytics.basket.rules import histories_from_pairs
from analytics.evaluations.clv_runs import clv_fit
from analytics.evaluations.periods import local_midnight, local_zone
from analytics.metric_queries.purchase_metrics import purchases_frame
from analytics.models import ClvRun, CustomerValue, Purchase
from analytics.relationship.churn_runs import purchase_history, satisfaction_signals
from analytics.relationship.queries import category_histories, quarterly_category_rows
from analytics.relationship.segments import SegmentKey, segment_rows
from feedback.models import Case, FeedbackItem, SentimentLabel
from surveys.models import Response, ResponseStatus
from surveys.scoring.expressions import nps_group_counts
from surveys.scoring.rules import nps_group
from tests.analytics.churn.fixed_history import AS_OF, make_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(db):
    return make_history()


def _same_mean(a, b) -> bool:
    """Means summed in another order agree to the last bits (and both are None or not)."""
    return (a is None and b is None) or a == pytest.approx(b, rel=1e-12)


def _sorted(frame: pd.DataFrame, columns) -> pd.DataFrame:
    return frame.sort_values(columns, kind="stable").reset_index(drop=True)


def test_the_purchase_history_is_the_purchases_frame_with_keys_for_order_ids(history):
    fast = purchase_history(end=AS_OF - dt.timedelta(days=30))
    slow = purchases_frame(end=AS_OF - dt.timedelta(days=30))

    assert len(fast) == len(slow) > 3000
    columns = ["customer_id", "ordered_at", "amount"]
    a, b = _sorted(fast, columns), _sorted(slow, columns)
    for column in columns:
        assert (a[column].to_numpy() == b[column].to_numpy()).all(), column
    # One key per order, as one order id per order: the orders of each customer count alike.
    assert (
        fast.groupby("customer_id")["order_id"]
        .nunique()
        .equals(slow.groupby("customer_id")["order_id"].nunique())
    )


def test_the_signals_are_those_the_row_by_row_read_gave(history):
    until = local_midnight(AS_OF + dt.timedelta(days=1))
    rows = []
    answers = Response.objects.filter(
        status=ResponseStatus.COMPLETED, customer__isnull=False, nps_score__isnull=False,
        completed_at__lt=until,
    ).values_list("customer_id", "completed_at", "nps_score")  # fmt: skip
    rows += [(c, at, str(nps_group(score))) for c, at, score in answers]
    negative = FeedbackItem.objects.filter(
        customer__isnull=False, sentiment_label=SentimentLabel.NEGATIVE, created_at__lt=until
    ).values_list("customer_id", "created_at")
    rows += [(c, at, "negative") for c, at in negative]
    for c, opened, closed, resolved in Case.objects.filter(
        customer__isnull=False, created_at__lt=until
    ).values_list("customer_id", "created_at", "closed_at", "resolved_at"):
        rows.append((c, opened, "case_opened"))
        ended = min((m for m in (closed, resolved) if m is not None), default=None)
        if ended is not None and ended < until:
            rows.append((c, ended, "case_closed"))
    Case.objects.filter(pk=Case.objects.order_by("id").first().pk).update(
        closed_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    )
    rows.append((Case.objects.order_by("id").first().customer_id,
                 dt.datetime(2026, 3, 1, tzinfo=dt.UTC), "case_closed"))  # fmt: skip
    slow = pd.DataFrame.from_records(rows, columns=["customer_id", "at", "kind"])
    slow["at"] = pd.to_datetime(slow["at"], utc=True).dt.tz_convert(local_zone())
    slow["at"] = slow["at"].dt.tz_localize(None)

    fast = satisfaction_signals(end=AS_OF)

    assert {"promoter", "passive", "detractor", "negative", "case_opened", "case_closed"} == set(
        fast["kind"]
    )
    columns = ["customer_id", "at", "kind"]
    assert _sorted(fast, columns).astype(str).equals(_sorted(slow, columns).astype(str))


def test_cross_sell_rows_and_histories_are_those_of_the_orm_reads(history):
    bought = Purchase.objects.order_by().filter(is_refund=False, amount__gte=0)
    quarters = set(
        bought.annotate(quarter=TruncQuarter("ordered_at", tzinfo=local_zone()))
        .values_list("customer_id", "category", "quarter")
        .distinct()
    )
    pairs = bought.exclude(category="").values_list("customer_id", "category").distinct()

    rows = quarterly_category_rows()

    assert len(rows) == len(quarters) > 1000
    assert {
        (c, category, at.to_pydatetime().replace(tzinfo=local_zone()))
        for c, category, at in rows.itertuples(index=False)
    } == quarters
    assert category_histories() == histories_from_pairs(pairs) == category_histories(rows)


def test_segment_rows_are_the_per_kind_aggregates_of_before(history):
    run = ClvRun.objects.get(pk=clv_fit(as_of=AS_OF).pk)  # as the pages read it
    assert sum(f["customers"] for f in run.segment_figures) == 400
    rows = segment_rows(run)
    counted = segment_rows(ClvRun(pk=run.pk, segment_figures=[]))  # a run without figures
    for kept, recount in zip(rows, counted, strict=True):
        assert _same_mean(kept["churn_mean"], recount["churn_mean"])
        assert {k: v for k, v in kept.items() if k != "churn_mean"} == {
            k: v for k, v in recount.items() if k != "churn_mean"
        }

    for kind, field in (("rfm", "rfm_segment"), ("stage", "lifecycle_stage")):
        expected = {
            r[field]: r
            for r in CustomerValue.objects.filter(run=run).values(field).order_by().annotate(
                customers=Count("id"), clv_sum=Sum("clv"), clv_mean=Avg("clv"),
                churn_mean=Avg("churn_risk"),
                high=Count("id", filter=Q(churn_band="high")),
            )
        }  # fmt: skip
        nps = {
            r[f"customer__evaluated_values__{field}"]: r
            for r in Response.objects.filter(
                status=ResponseStatus.COMPLETED, nps_score__isnull=False,
                customer__evaluated_values__run=run,
            ).values(f"customer__evaluated_values__{field}").order_by()
            .annotate(n=Count("id"), **nps_group_counts(on="id"))
        }  # fmt: skip
        assert nps, kind
        for row in (r for r in rows if r["kind"] == kind):
            old = expected.get(row["code"])
            if old is None:
                assert row["customers"] == 0
                continue
            assert row["customers"] == old["customers"]
            assert row["clv_sum"] == old["clv_sum"]
            assert round(row["clv_mean"], 2) == round(old["clv_mean"], 2)
            assert _same_mean(row["churn_mean"], old["churn_mean"])
            assert row["high_risk_share"] == round(100.0 * old["high"] / old["customers"], 1)
            answered = nps.get(row["code"])
            assert row["nps"]["n"] == (answered["n"] if answered else 0)
            if answered:
                net = answered["promoters"] - answered["detractors"]
                assert row["nps"]["value"] == round(100.0 * net / answered["n"], 1)
        # One segment's page: the same figures as its row of the overview.
        code = max(expected, key=lambda c: expected[c]["customers"])
        one = segment_rows(run, [SegmentKey(kind, code)])[0]
        overview = next(r for r in rows if r["kind"] == kind and r["code"] == code)
        assert _same_mean(one["churn_mean"], overview["churn_mean"])
        assert {k: v for k, v in one.items() if k not in ("key", "churn_mean")} == {
            k: v for k, v in overview.items() if k not in ("key", "churn_mean")
        }
