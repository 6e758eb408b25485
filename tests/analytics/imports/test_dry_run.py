import pytest

from analytics.models import Purchase
from surveys.models import Customer

pytestmark = pytest.mark.django_db

FILE = "customer_id,order_id,ordered_at,amount\nC1,O1,2026-01-05,10\nC2,O2,bad,20\n"


def test_a_dry_run_validates_every_row_and_writes_nothing(import_file):
    job = import_file(FILE, dry_run=True)

    assert (job.rows_total, job.rows_ok, job.rows_failed) == (2, 1, 1)
    assert (job.rows_created, job.customers_created) == (1, 1)
    assert not Purchase.objects.exists()
    assert not Customer.objects.exists()


def test_a_dry_run_of_customers_writes_nothing(import_file):
    job = import_file("客户编号,姓名,手机号\nC1,张三,13800138000\n", kind="customers", dry_run=True)

    assert job.rows_ok == 1
    assert not Customer.objects.exists()
