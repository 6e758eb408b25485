from decimal import Decimal

import pytest

from analytics.models import Purchase
from surveys.models import Customer

pytestmark = pytest.mark.django_db

FILE = "customer_id,order_id,ordered_at,amount\nC1,O1,2026-01-05,10\nC2,O2,2026-01-06,20\n"


def test_importing_the_same_file_twice_updates_and_never_duplicates(import_file):
    first = import_file(FILE)
    second = import_file(FILE)

    assert (first.rows_created, first.rows_updated) == (2, 0)
    assert (second.rows_created, second.rows_updated) == (0, 2)
    assert second.customers_created == 0
    assert Purchase.objects.count() == 2
    assert Customer.objects.count() == 2


def test_a_reimport_changes_the_values_of_known_orders(import_file):
    import_file(FILE)
    import_file("customer_id,order_id,ordered_at,amount\nC1,O1,2026-01-05,15.5\n")

    assert Purchase.objects.get(order_id="O1").amount == Decimal("15.50")
    assert Purchase.objects.count() == 2
