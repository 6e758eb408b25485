from decimal import Decimal

import pytest

from analytics.models import Purchase

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"¥1,299.00"', Decimal("1299.00")),
        ("￥1299", Decimal("1299.00")),
        ("１２９９", Decimal("1299.00")),
        ("１２９９．５０", Decimal("1299.50")),
        ("1299元", Decimal("1299.00")),
        ("RMB 1299", Decimal("1299.00")),
        ("1299.005", Decimal("1299.00")),
        ("0", Decimal("0.00")),
    ],
)
def test_each_amount_format_is_read(import_file, text, expected):
    job = import_file(f"customer_id,order_id,ordered_at,amount\nC1,O1,2026-01-05,{text}\n")

    assert job.rows_ok == 1, job.errors
    purchase = Purchase.objects.get()
    assert purchase.amount == expected
    assert purchase.is_refund is False


@pytest.mark.parametrize("text", ["-50", "-¥50.00", "(50.00)", "-50元"])
def test_a_negative_amount_is_accepted_as_a_refund(import_file, text):
    job = import_file(f"customer_id,order_id,ordered_at,amount\nC1,R1,2026-01-05,{text}\n")

    assert job.rows_ok == 1, job.errors
    refund = Purchase.objects.get(order_id="R1")
    assert refund.amount == Decimal("-50.00")
    assert refund.is_refund is True
