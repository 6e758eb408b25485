"""Two CLV runs a quarter apart with chosen lifecycle stages (no model fit: fast and exact)."""

import datetime as dt
from decimal import Decimal

from analytics.models import ClvRun, CustomerValue
from tests.factories import CustomerFactory

LATER = dt.date(2026, 6, 30)
EARLIER = LATER - dt.timedelta(days=91)
# (stage a quarter earlier or "" for not a customer yet, stage now, how many)
FLOWS = [
    ("", "new", 6), ("new", "growing", 4), ("new", "lost", 2), ("growing", "mature", 5),
    ("mature", "mature", 8), ("mature", "declining", 3), ("declining", "lost", 3),
    ("lost", "won_back", 2), ("lost", "lost", 4),
]  # fmt: skip


def _run(as_of: dt.date, count: int) -> ClvRun:
    return ClvRun.objects.create(as_of=as_of, r=1, alpha=1, a=1, b=1, bgnbd_log_likelihood=0,
                                 n_customers=count)  # fmt: skip


def _value(run, customer, stage):
    return CustomerValue(
        run=run, customer=customer, frequency=1, recency=1, T=10, monetary=1, recency_days=20,
        orders=2, spend=Decimal("100"), r_score=3, f_score=3, m_score=3,
        rfm_segment="important_value", p_alive=0.9, expected_orders_1y=1, clv=Decimal("500"),
        value_tier="medium", churn_risk=0.3, churn_band="low", value_at_stake=Decimal("150"),
        lifecycle_stage=stage,
    )  # fmt: skip


def lifecycle_runs() -> tuple[ClvRun, ClvRun]:
    earlier, later = _run(EARLIER, 31), _run(LATER, 37)
    before, now = [], []
    number = 0
    for from_stage, to_stage, count in FLOWS:
        for _ in range(count):
            number += 1
            customer = CustomerFactory(name=f"客戶{number:02d}號😀", external_id=f"L{number:03d}")
            if from_stage:
                before.append(_value(earlier, customer, from_stage))
            now.append(_value(later, customer, to_stage))
    CustomerValue.objects.bulk_create(before + now)
    return earlier, later
