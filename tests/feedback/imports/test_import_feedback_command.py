"""`import_feedback PATH`: CSV (UTF-8 or GBK) and XLSX, customers matched, row-level errors."""

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from feedback.models import FeedbackItem
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

CSV = (
    "评价编号,内容,手机号,时间\n"
    "R1,物流很快，包装很好,138 0013 8000,2026-10-01 10:00\n"
    "R2,   ,,\n"
    "R3,质量一般，有色差,12345,\n"
    "R4,客服回复很慢,,yesterday\n"
)


def test_a_gbk_csv_is_imported_with_row_level_errors(tmp_path, capsys):
    customer = CustomerFactory(phone="+8613800138000")
    path = tmp_path / "reviews.csv"
    path.write_bytes(CSV.encode("gbk"))

    call_command("import_feedback", str(path), "--source", "ecommerce")

    item = FeedbackItem.objects.get()
    assert (item.text, item.source, item.external_ref) == ("物流很快，包装很好", "ecommerce", "R1")
    assert item.customer == customer
    assert item.created_at.date().isoformat() == "2026-10-01"
    err = capsys.readouterr().err
    assert "row 3, column text" in err
    assert "row 4, column phone" in err
    assert "row 5, column created_at" in err


def test_importing_the_same_file_twice_creates_nothing_twice(tmp_path):
    path = tmp_path / "reviews.csv"
    path.write_text(CSV, encoding="utf-8")
    call_command("import_feedback", str(path))
    call_command("import_feedback", str(path))
    assert FeedbackItem.objects.count() == 1


def test_dry_run_creates_nothing(tmp_path, capsys):
    path = tmp_path / "reviews.csv"
    path.write_text(CSV, encoding="utf-8")
    call_command("import_feedback", str(path), "--dry-run")
    assert not FeedbackItem.objects.exists()
    assert "would create 1 items" in capsys.readouterr().out


def test_an_xlsx_file_is_imported(tmp_path):
    workbook = Workbook()
    workbook.active.append(["text", "source"])
    workbook.active.append(["电话一直占线，等了半小时", "callcentre"])
    path = tmp_path / "notes.xlsx"
    workbook.save(path)

    call_command("import_feedback", str(path))

    assert FeedbackItem.objects.get().source == "callcentre"


def test_a_file_without_a_text_column_is_refused(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="text / comment / content"):
        call_command("import_feedback", str(path))
