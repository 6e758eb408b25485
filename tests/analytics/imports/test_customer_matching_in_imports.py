import pytest

from analytics.models import Purchase
from surveys.models import Customer
from tests.analytics.imports.files import messages
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_rows_match_existing_customers_by_external_id_then_phone_then_email(import_file):
    by_id = CustomerFactory(external_id="C1")
    by_phone = CustomerFactory(external_id=None, phone="+8613800138000")
    by_email = CustomerFactory(external_id=None, phone="", email="li@example.cn")

    job = import_file(
        "订单号,客户编号,手机号,邮箱,下单时间,金额\n"
        "O1,C1,13900000000,,2026-01-05,1\n"
        "O2,,138-0013-8000,,2026-01-05,1\n"
        "O3,,,LI@example.cn,2026-01-05,1\n"
    )

    assert job.customers_created == 0
    owners = dict(Purchase.objects.values_list("order_id", "customer_id"))
    assert owners == {"O1": by_id.pk, "O2": by_phone.pk, "O3": by_email.pk}


def test_rows_of_a_merged_customer_go_to_the_customer_kept(import_file):
    kept = CustomerFactory()
    CustomerFactory(external_id="OLD", merged_into=kept)

    import_file("customer_id,order_id,ordered_at,amount\nOLD,O1,2026-01-05,1\n")

    assert Purchase.objects.get().customer == kept


def test_new_customers_are_created_once_however_many_rows_they_have(import_file):
    job = import_file(
        "customer_id,phone,order_id,ordered_at,amount\n"
        "N1,13800000001,O1,2026-01-05,1\nN1,13800000001,O2,2026-01-06,1\n"
        ",13800000001,O3,2026-01-07,1\n"
    )

    assert job.customers_created == 1
    assert Customer.objects.get().purchases.count() == 3


def test_customer_rows_with_a_bad_language_or_flag_are_rejected(import_file):
    job = import_file(
        "客户编号,语言,退订\nC1,klingon,是\nC2,en,maybe\nC3,中文,否\n", kind="customers"
    )

    assert messages(job) == [
        (2, "语言", "klingon", "Language must be zh-hans (中文) or en (English)."),
        (3, "退订", "maybe", "Expected yes or no (是/否)."),
    ]
    assert list(Customer.objects.values_list("external_id", "unsubscribed")) == [("C3", False)]


def test_a_customer_import_updates_matching_customers_instead_of_duplicating(import_file):
    existing = CustomerFactory(external_id=None, phone="+8613800138000", name="")

    job = import_file("手机号,姓名,城市\n138 0013 8000,王五,成都\n", kind="customers")

    assert (job.rows_created, job.rows_updated) == (0, 1)
    existing.refresh_from_db()
    assert (existing.name, existing.region) == ("王五", "成都")
    assert Customer.objects.count() == 1
