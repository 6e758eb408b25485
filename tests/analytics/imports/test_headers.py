import pytest

from analytics.models import ImportStatus, Purchase
from surveys.models import Customer

pytestmark = pytest.mark.django_db


def test_english_headers_are_mapped(import_file):
    job = import_file(
        "order_id,customer_id,ordered_at,amount,category,channel,phone,email,name,region\n"
        "O1,C1,2026-01-05,100,Shoes,online,13800138000,a@example.cn,Li Lei,Shanghai\n"
    )

    assert job.rows_ok == 1
    purchase = Purchase.objects.select_related("customer").get()
    assert (purchase.category, purchase.channel) == ("Shoes", "online")
    customer = purchase.customer
    assert (customer.phone, customer.email, customer.name, customer.region) == (
        "+8613800138000", "a@example.cn", "Li Lei", "Shanghai",
    )  # fmt: skip


def test_chinese_headers_are_mapped(import_file):
    job = import_file(
        "订单号,客户编号,下单时间,金额,品类,渠道,手机号,邮箱,姓名,地区\n"
        "O1,C1,2026-01-05,100,鞋靴,天猫,13800138000,a@example.cn,李雷,上海\n"
    )

    assert job.rows_ok == 1
    assert job.columns["order_id"] == "订单号"
    purchase = Purchase.objects.select_related("customer").get()
    assert (purchase.category, purchase.channel) == ("鞋靴", "天猫")
    assert (purchase.customer.name, purchase.customer.region) == ("李雷", "上海")
    assert purchase.customer.phone == "+8613800138000"


def test_alternative_chinese_headers_are_mapped(import_file):
    job = import_file(
        "订单编号,会员号,订单日期,实付金额,商品类别,城市\nO1,M1,2026/1/5,¥88.00,食品,杭州\n"
    )

    assert job.rows_ok == 1
    purchase = Purchase.objects.select_related("customer").get()
    assert (purchase.customer.external_id, purchase.category) == ("M1", "食品")
    assert purchase.customer.region == "杭州"


def test_a_user_mapping_overrides_the_automatic_one(import_file):
    job = import_file(
        "单据,会员卡,时间,实付金额,备注金额\nO1,VIP-1,2026-01-05,100,999\n",
        mapping={"单据": "order_id", "会员卡": "customer_id", "时间": "ordered_at"},
    )

    assert job.status == ImportStatus.SUCCEEDED
    assert Customer.objects.get().external_id == "VIP-1"
    assert str(Purchase.objects.get(order_id="O1").amount) == "100.00"


def test_a_title_row_above_the_header_is_skipped(import_file):
    job = import_file("2026年1月订单导出,,,\n订单号,客户编号,下单时间,金额\nO1,C1,2026-01-05,100\n")

    assert job.rows_ok == 1
    assert Purchase.objects.filter(order_id="O1").exists()


def test_headers_differing_in_case_and_spacing_are_mapped(import_file):
    job = import_file("Order ID, Customer-ID ,Order_Date,AMOUNT\nO1,C1,2026-01-05,100\n")

    assert job.rows_ok == 1
