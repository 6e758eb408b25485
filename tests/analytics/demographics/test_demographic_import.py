"""The customer import reads gender, birth year, city and member level (Chinese or English
headers) into the customer's typed profile; a bad value is a row error naming the row and the
field, and that row changes nothing."""

import datetime as dt

import pytest
from django.utils import translation

from analytics.models import CustomerProfile
from surveys.models import Customer
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _profile(external_id):
    return CustomerProfile.objects.get(customer__external_id=external_id)


def test_chinese_headers_fill_the_typed_profile(import_file):
    job = import_file(
        "客户编号,姓名,性别,出生年份,城市,会员等级\n"
        "M1,王芳🌸,女,1990,上海,金卡会员\n"
        "M2,陳大文,男性,1985年,香港,鑽石會員\n"
        "M3,Alex,其他,2001-05-06,深圳,普通\n"
        "M4,保密先生,保密,,,\n",
        kind="customers",
    )

    assert (job.rows_ok, job.rows_failed) == (4, 0)
    wang = _profile("M1")
    assert (wang.gender, wang.birth_year, wang.city, wang.member_level) == (
        "female", 1990, "上海", "金卡会员",
    )  # fmt: skip
    chan = _profile("M2")
    assert (chan.gender, chan.birth_year, chan.city, chan.member_level) == (
        "male", 1985, "香港", "鑽石會員",
    )  # fmt: skip
    assert (_profile("M3").gender, _profile("M3").birth_year) == ("other", 2001)
    assert (_profile("M4").gender, _profile("M4").birth_year) == ("", None)
    # The city still fills the region when there is no region column.
    assert Customer.objects.get(external_id="M1").region == "上海"


def test_english_headers_work_too(import_file):
    job = import_file(
        "customer_id,gender,birth_year,city,member_level\nE1,F,1999,Beijing,Gold\n",
        kind="customers",
    )

    assert job.rows_ok == 1
    assert (_profile("E1").gender, _profile("E1").member_level) == ("female", "Gold")


def test_a_region_column_keeps_its_own_value_beside_the_city(import_file):
    import_file("客户编号,地区,城市\nR1,华东,杭州\n", kind="customers")

    assert Customer.objects.get(external_id="R1").region == "华东"
    assert _profile("R1").city == "杭州"


@pytest.mark.parametrize(
    ("cell", "column", "message"),
    [
        ("性别=女生?", "性别", "性别须为 男、女 或 其他。"),
        ("出生年份=1850", "出生年份", "出生年份须为 1900 至"),
        (f"出生年份={dt.date.today().year + 1}", "出生年份", "出生年份须为 1900 至"),
        ("出生年份=九零后", "出生年份", "出生年份须为 1900 至"),
        ("会员等级=" + "钻" * 40, "会员等级", "过长：最多 32 个字符"),
    ],
)
def test_a_bad_value_is_a_row_error_naming_row_and_field(import_file, cell, column, message):
    header, value = cell.split("=")
    job = import_file(f"客户编号,姓名,{header}\nOK1,好,\nBAD1,坏,{value}\n", kind="customers")

    assert (job.rows_ok, job.rows_failed) == (1, 1)
    error = job.errors[0]
    assert (error["row"], error["column"]) == (3, column)
    with translation.override("zh-hans"):
        from analytics.imports.report import error_message

        assert message in error_message(error["message"], error["params"])
    assert not Customer.objects.filter(external_id="BAD1").exists()


def test_a_bad_row_of_a_known_customer_leaves_the_profile_as_it_was(import_file):
    import_file("客户编号,性别,出生年份\nK1,女,1980\n", kind="customers")

    job = import_file("客户编号,姓名,性别,出生年份\nK1,改名,女,3000\n", kind="customers")

    assert job.rows_failed == 1
    assert _profile("K1").birth_year == 1980
    assert Customer.objects.get(external_id="K1").name != "改名"


def test_a_later_file_with_fewer_columns_keeps_the_other_attributes(import_file):
    import_file("客户编号,性别,出生年份,城市,会员等级\nK2,男,1970,成都,银卡\n", kind="customers")

    import_file("客户编号,会员等级\nK2,金卡\n", kind="customers")

    profile = _profile("K2")
    assert (profile.gender, profile.birth_year, profile.city, profile.member_level) == (
        "male", 1970, "成都", "金卡",
    )  # fmt: skip
    assert CustomerProfile.objects.count() == 1


def test_an_existing_customer_matched_by_phone_gets_a_profile(import_file):
    existing = CustomerFactory(external_id=None, phone="+8613800138000")

    import_file("手机号,性别\n138 0013 8000,女\n", kind="customers")

    assert CustomerProfile.objects.get(customer=existing).gender == "female"


def test_a_dry_run_writes_no_profile(import_file):
    job = import_file("客户编号,性别\nD1,女\n", kind="customers", dry_run=True)

    assert job.rows_ok == 1
    assert not CustomerProfile.objects.exists()
