"""Stores from imports: a purchase or customer import's store column links the listed store,
adds the ones not listed yet (imports are staff's work) and says so in the summary; bad store
cells are row errors; a public link's `?store=` never adds one."""

import pytest
from django.utils import translation

from analytics.models import Purchase
from surveyhub.security.roles import Role
from surveys.models import Customer, Response, Store, StoreSource
from tests.analytics.imports.files import messages
from tests.factories import CustomerFactory, UserFactory, published_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed():
    return {
        "SH01": Store.objects.create(
            code="SH01", name="上海南京路店", name_en="Shanghai Nanjing Rd"
        ),
        "HK01": Store.objects.create(code="HK01", name="香港銅鑼灣店"),
    }


def stores_of_orders() -> dict[str, str | None]:
    return dict(Purchase.objects.values_list("order_id", "store__code"))


def test_a_store_column_links_listed_stores_by_code_or_name_and_adds_new_ones(import_file, listed):
    job = import_file(
        "订单号,会员号,下单时间,实付金额,门店\n"
        "O1,C1,2026-01-05,¥88.00,SH01\n"
        "O2,C1,2026-01-06,10,ｓｈ０１\n"  # full-width, lower case: still SH01
        "O3,C2,2026-01-06,10,香港銅鑼灣店\n"  # by its (traditional) name
        "O4,C2,2026-01-07,10,Shanghai Nanjing Rd\n"  # by its English name
        "O5,C3,2026-01-07,10,杭州西湖店🌸\n"  # not listed: added
        "O6,C3,2026-01-08,10,杭州西湖店🌸\n"  # the same new store, added once
        "O7,C3,2026-01-08,10,\n"  # no store
    )

    assert (job.status, job.rows_ok, job.rows_failed) == ("succeeded", 7, 0)
    assert stores_of_orders() == {
        "O1": "SH01", "O2": "SH01", "O3": "HK01", "O4": "SH01",
        "O5": "杭州西湖店🌸", "O6": "杭州西湖店🌸", "O7": None,
    }  # fmt: skip
    added = Store.objects.get(code="杭州西湖店🌸")
    assert (added.name, added.source, added.is_active) == ("杭州西湖店🌸", StoreSource.IMPORT, True)
    assert Store.objects.count() == 3
    assert job.stores_added == ["杭州西湖店🌸"]
    with translation.override("zh-hans"):
        assert job.stores_added_text == "新增门店 1 个：杭州西湖店🌸"
    with translation.override("en"):
        assert job.stores_added_text == "1 new store added: 杭州西湖店🌸"


def test_a_store_code_column_names_new_stores_from_the_store_column(import_file, listed):
    job = import_file(
        "order_id,customer_id,ordered_at,amount,store_code,store\n"
        "O1,C1,2026-01-05,10,SH01,随便写的名字\n"  # a listed code: its name is not changed
        "O2,C1,2026-01-05,10,BJ02,北京国贸店\n"
        "O3,C1,2026-01-05,10,GZ03,\n"
        "O4,C1,2026-01-05,10,SZ04,深圳万象城店\n"
    )

    assert stores_of_orders() == {"O1": "SH01", "O2": "BJ02", "O3": "GZ03", "O4": "SZ04"}
    assert Store.objects.get(code="SH01").name == "上海南京路店"
    names = dict(Store.objects.filter(source=StoreSource.IMPORT).values_list("code", "name"))
    assert names == {"BJ02": "北京国贸店", "GZ03": "GZ03", "SZ04": "深圳万象城店"}
    with translation.override("zh-hans"):
        assert job.stores_added_text == (
            "新增门店 3 个：北京国贸店（BJ02）、GZ03、深圳万象城店（SZ04）"
        )
    with translation.override("en"):
        assert job.stores_added_text == (
            "3 new stores added: 北京国贸店 (BJ02), GZ03, 深圳万象城店 (SZ04)"
        )


def test_bad_store_cells_are_row_errors_and_add_nothing(import_file, listed):
    long_name = "很长的门店名" * 11  # 66 characters: too long for a new store's code
    job = import_file(
        "订单号,会员号,下单时间,金额,门店\n"
        "O1,C1,2026-01-05,10,—\n"
        f"O2,C1,2026-01-05,10,{long_name}\n"
        "O3,C1,2026-01-05,10,SH01\n"
        "O4,C1,bad-date,10,新门店\n"  # another cell is wrong: the new store is not added
    )

    found = messages(job)
    assert found[:2] == [
        (2, "门店", "—", "Not a store: expected a store code such as SH01 or a store name "
                        "such as 上海南京路店."),
        (3, "门店", long_name, "Too long: at most 64 characters."),
    ]  # fmt: skip
    assert [(row, column) for row, column, _v, _m in found[2:]] == [(5, "下单时间")]
    assert stores_of_orders() == {"O3": "SH01"}
    assert Store.objects.count() == 2
    assert job.stores_added == []


def test_a_store_code_over_64_characters_is_a_row_error(import_file):
    job = import_file(
        f"order_id,customer_id,ordered_at,amount,门店编码\nO1,C1,2026-01-05,1,{'X' * 65}\n"
    )

    assert messages(job) == [(2, "门店编码", "X" * 65, "Too long: at most 64 characters.")]
    assert not Store.objects.exists()


def test_a_dry_run_says_which_stores_it_would_add_and_adds_none(import_file, listed):
    job = import_file(
        "订单号,会员号,下单时间,金额,门店\nO1,C1,2026-01-05,10,SH01\nO2,C1,2026-01-05,10,成都太古里店\n",
        dry_run=True,
    )

    assert job.stores_added == ["成都太古里店"]
    with translation.override("zh-hans"):
        assert job.stores_added_text == "将新增门店 1 个：成都太古里店"
    assert Store.objects.count() == 2
    assert not Purchase.objects.exists()


def test_re_importing_without_a_store_column_keeps_the_stores(import_file, listed):
    import_file("订单号,会员号,下单时间,金额,门店\nO1,C1,2026-01-05,10,SH01\n")
    import_file("订单号,会员号,下单时间,金额\nO1,C1,2026-01-05,20\n")

    purchase = Purchase.objects.get()
    assert (purchase.amount, purchase.store.code) == (20, "SH01")

    import_file("订单号,会员号,下单时间,金额,门店\nO1,C1,2026-01-05,20,HK01\n")
    assert Purchase.objects.get().store.code == "HK01"


def test_rows_of_unknown_customers_add_no_store_when_unknown_customers_are_refused(
    import_file, listed
):
    CustomerFactory(external_id="C1")
    job = import_file(
        "订单号,会员号,下单时间,金额,门店\nO1,C1,2026-01-05,10,新店甲\nO2,NOBODY,2026-01-05,10,新店乙\n",
        create_customers=False,
    )

    assert job.rows_failed == 1
    assert stores_of_orders() == {"O1": "新店甲"}
    assert job.stores_added == ["新店甲"]


def test_a_customer_import_sets_the_home_store_and_adds_new_stores(import_file, listed):
    existing = CustomerFactory(external_id="C1", name="王小明")
    job = import_file(
        "客户编号,姓名,归属门店\nC1,,sh01\nC2,陳大文,南京新街口店\nC3,李四,\n",
        kind="customers",
    )

    assert (job.rows_ok, job.rows_failed) == (3, 0)
    homes = dict(Customer.objects.values_list("external_id", "store__code"))
    assert homes == {"C1": "SH01", "C2": "南京新街口店", "C3": None}
    existing.refresh_from_db()
    assert existing.name == "王小明"  # a blank cell changes nothing
    assert job.stores_added == ["南京新街口店"]


def test_a_customer_import_with_a_bad_store_rejects_the_row(import_file):
    job = import_file("客户编号,门店\nC1,///\nC2,上海店\n", kind="customers")

    assert [(row, value) for row, _c, value, _m in messages(job)] == [(2, "///")]
    assert list(Customer.objects.values_list("external_id", "store__code")) == [("C2", "上海店")]


def test_the_import_page_and_api_report_the_new_stores(import_file, client):
    job = import_file("订单号,会员号,下单时间,金额,门店\nO1,C1,2026-01-05,10,厦门鼓浪屿店\n")
    client.force_login(UserFactory(role=Role.ADMIN))

    page = client.get(f"/staff/analytics/imports/{job.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = page.content.decode()
    assert "新增门店 1 个：厦门鼓浪屿店" in text
    assert "门店 → 门店" in text and "会员号 → 客户编号" in text  # columns in words, not codes
    assert "order_id" not in text

    body = client.get(f"/api/v1/imports/{job.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["stores_added"] == ["厦门鼓浪屿店"]
    assert body["stores_added_label"] == "1 new store added: 厦门鼓浪屿店"
    orders = client.get("/api/v1/purchases/", HTTP_ACCEPT_LANGUAGE="en").json()
    rows = orders["results"] if isinstance(orders, dict) else orders
    assert [(row["order_id"], row["store"]) for row in rows] == [("O1", "厦门鼓浪屿店")]


def test_a_public_link_store_never_enters_the_list_but_an_import_of_it_does(client, import_file):
    survey = published_survey(consent_text="")
    url = f"/s/{survey.slug}/?store=WX09"
    step = client.post(url, {"page": 0, "rk": "", "nps": "9", "action": "next"})
    client.post(step["Location"], {"page": 1, "rk": "", "action": "submit"})

    assert Response.objects.get().store == "WX09"  # kept on the response as given
    assert not Store.objects.exists()

    job = import_file("订单号,会员号,下单时间,金额,门店编码\nO1,C1,2026-01-05,10,WX09\n")
    assert job.stores_added == ["WX09"]
    assert Store.objects.get().source == StoreSource.IMPORT


def test_the_customer_page_shows_the_home_store_and_amounts_with_their_currency(
    import_file, client, listed
):
    import_file("客户编号,姓名,归属门店\nC1,王小明,SH01\n", kind="customers")
    import_file(
        '订单号,会员号,下单时间,金额,门店\nO1,C1,2026-01-05,"¥1,299.00",SH01\n'
        "O2,C1,2026-01-06,-50,香港銅鑼灣店\n"
    )
    customer = Customer.objects.get(external_id="C1")
    client.force_login(UserFactory(role=Role.ADMIN))

    url = f"/staff/customers/{customer.pk}/"
    zh = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "归属门店" in zh and "上海南京路店" in zh and "香港銅鑼灣店" in zh
    assert "¥1,299.00" in zh and "−¥50.00" in zh and "合计 ¥1,249.00" in zh
    en = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "CN¥1,299.00" in en and "−CN¥50.00" in en and "CN¥1,249.00 in total" in en
