"""A `referral_code` / 推荐码 column in the customer and purchase imports records who referred
each customer; a code that does not exist is noted in the import summary and the row is still
imported."""

import pytest
from django.core.management import call_command
from django.utils import translation

from analytics.models import Referral, ReferralCode, ReferralSource
from surveys.models import Customer
from tests.factories import CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def code(db):
    return ReferralCode.objects.create(code="ABCD2345", customer=CustomerFactory(name="推薦人🎁"))


def test_a_customer_import_records_the_referrals_of_its_rows(import_file, code):
    job = import_file(
        "客户编号,姓名,推荐码\nN1,新客甲😀,ABCD2345\nN2,新客乙,abcd-2345\nN3,無推薦,\n",
        kind="customers",
    )

    assert (job.rows_ok, job.rows_failed, job.notes) == (3, 0, [])
    referred = Referral.objects.filter(code=code).order_by("referred__external_id")
    assert [r.referred.external_id for r in referred] == ["N1", "N2"]
    assert {r.source for r in referred} == {ReferralSource.IMPORT}
    assert referred[0].import_job_id == job.pk


def test_a_purchase_import_records_referrals_too(import_file, code):
    job = import_file(
        "订单号,客户编号,下单时间,金额,推荐码\nR-1,N9,2026-03-01,199,ABCD2345\n"
        "R-2,N9,2026-03-09,99,ABCD2345\n"
    )

    assert job.rows_ok == 2
    assert Referral.objects.get().referred == Customer.objects.get(external_id="N9")


def test_an_unknown_code_is_noted_and_the_row_still_imported(import_file, code):
    job = import_file(
        "客户编号,姓名,推荐码\nU1,甲,NOPE9999\nU2,乙,ABCD2345\nU3,丙,不存在的碼\n",
        kind="customers",
    )

    assert (job.rows_ok, job.rows_failed) == (3, 0)
    assert Customer.objects.filter(external_id__in=["U1", "U2", "U3"]).count() == 3
    assert Referral.objects.get().referred.external_id == "U2"
    with translation.override("zh-hans"):
        assert job.notes_text == [
            "推荐码不存在的行（2 行）已导入，但未记录推荐：2 (NOPE9999), 4 (不存在的碼)"
        ]
    with translation.override("en"):
        assert job.notes_text == [
            "Rows with a referral code that does not exist (2), imported without a referral: "
            "2 (NOPE9999), 4 (不存在的碼)"
        ]


def test_the_import_page_and_the_api_show_the_note(import_file, code, client):
    from surveyhub.security.roles import Role

    job = import_file("客户编号,推荐码\nU1,NOPE9999\n", kind="customers")
    client.force_login(UserFactory(role=Role.ADMIN))

    page = client.get(f"/staff/analytics/imports/{job.pk}/").content.decode()
    api = client.get(f"/api/v1/imports/{job.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()

    assert "NOPE9999" in page and "未记录推荐" in page
    assert api["notes"] == [
        "Rows with a referral code that does not exist (1), imported without a referral: "
        "2 (NOPE9999)"
    ]


def test_a_dry_run_writes_no_referral_but_notes_unknown_codes(import_file, code):
    job = import_file("客户编号,推荐码\nD1,ABCD2345\nD2,ZZZZ9999\n", kind="customers", dry_run=True)

    assert not Referral.objects.exists()
    assert len(job.notes) == 1 and "ZZZZ9999" in job.notes[0]["params"]["rows"]


def test_the_import_command_prints_the_note(tmp_path, code, capsys):
    path = tmp_path / "customers.csv"
    path.write_text("客户编号,推荐码\nC1,NOPE9999\n", encoding="utf-8")

    call_command("import_customers", str(path))

    assert "NOPE9999" in capsys.readouterr().out
