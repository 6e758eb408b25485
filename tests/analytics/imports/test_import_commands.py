import pytest
from django.core.management import CommandError, call_command

from analytics.models import Purchase
from surveys.models import Customer

pytestmark = pytest.mark.django_db

FILE = "订单号,客户编号,下单时间,金额\nO1,C1,2026-01-05,10\nO2,C1,bad,10\n"


def test_import_purchases_prints_a_summary_and_the_error_report(tmp_path, capsys):
    path = tmp_path / "orders.csv"
    path.write_bytes(FILE.encode("gbk"))

    call_command("import_purchases", str(path))

    out = capsys.readouterr().out
    assert "2 rows, 1 valid, 1 rejected" in out
    assert "Error report: " in out
    report = out.split("Error report: ")[1].splitlines()[0]
    assert report.endswith(".csv")
    assert Purchase.objects.count() == 1


def test_import_purchases_dry_run_writes_nothing(tmp_path, capsys):
    path = tmp_path / "orders.csv"
    path.write_text(FILE, encoding="utf-8")

    call_command("import_purchases", str(path), "--dry-run", "--encoding", "utf-8")

    assert "Dry run: nothing was written." in capsys.readouterr().out
    assert not Purchase.objects.exists()


def test_import_purchases_fails_with_one_message_on_an_unreadable_file(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("name,colour\nApple,red\n", encoding="utf-8")

    with pytest.raises(CommandError, match="order_id"):
        call_command("import_purchases", str(path))
    assert not Purchase.objects.exists()


def test_import_customers_creates_and_updates_customers(tmp_path, capsys):
    path = tmp_path / "customers.csv"
    path.write_text(
        "客户编号,姓名,手机号,邮箱,城市,标签,语言\n"
        "C1,张三,138 0013 8000,ZS@Example.cn,上海,VIP、新客,中文\n"
        "C2,Tom,+86 139-0013-9000,tom@example.com,北京,,en\n",
        encoding="utf-8",
    )

    call_command("import_customers", str(path))
    call_command("import_customers", str(path))

    assert Customer.objects.count() == 2
    zhang = Customer.objects.get(external_id="C1")
    assert (zhang.phone, zhang.email, zhang.region) == ("+8613800138000", "zs@example.cn", "上海")
    assert sorted(zhang.tags.values_list("name", flat=True)) == ["VIP", "新客"]
    assert Customer.objects.get(external_id="C2").language == "en"
    assert "0 created, 2 updated" in capsys.readouterr().out.splitlines()[-4]


def test_a_missing_path_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match=r"nope\.csv"):
        call_command("import_purchases", str(tmp_path / "nope.csv"))
