"""A purchase history big enough for the churn model: 160 customers buying at their own pace
through 2025 and the first half of 2026, a third of them stopping at some point."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from analytics.models import Purchase
from surveyhub.security.roles import Role
from tests.factories import CustomerFactory, UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
AS_OF = dt.date(2026, 6, 30)


@pytest.fixture
def history(db):
    """Customers C000… with purchases up to AS_OF; returns the list of customers."""
    rng = np.random.default_rng(7)
    customers, purchases = [], []
    start = dt.datetime(2025, 1, 1, 12, tzinfo=SHANGHAI)
    end = dt.datetime(2026, 6, 30, 12, tzinfo=SHANGHAI)
    for n in range(160):
        customer = CustomerFactory(external_id=f"C{n:03d}", name=f"顾客{n:03d}")
        customers.append(customer)
        gap = float(rng.uniform(15, 90))
        when = start + dt.timedelta(days=float(rng.uniform(0, 150)))
        stop = when + dt.timedelta(days=float(rng.uniform(30, 500))) if n % 3 == 0 else None
        while when <= end and (stop is None or when <= stop):
            purchases.append(Purchase(
                customer=customer, order_id=f"O{len(purchases):06d}", ordered_at=when,
                amount=Decimal(f"{rng.uniform(50, 500):.2f}"), category="服装",
            ))  # fmt: skip
            when += dt.timedelta(days=float(rng.exponential(gap)) + 1)
    Purchase.objects.bulk_create(purchases)
    return customers


@pytest.fixture
def manager_client(client, db):
    client.force_login(UserFactory(username="manager", role=Role.MANAGER))
    return client
