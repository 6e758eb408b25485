import pytest

from analytics.models import Purchase

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("delimiter", [",", "\t", ";"], ids=["comma", "tab", "semicolon"])
def test_each_delimiter_is_detected(import_file, delimiter):
    rows = [
        ["customer_id", "order_id", "ordered_at", "amount", "category"],
        ["C1", "O1", "2026-01-05", "99.50", "服装"],
        ["C2", "O2", "2026-01-06 14:30", "12", "食品"],
    ]
    job = import_file("\n".join(delimiter.join(row) for row in rows) + "\n")

    assert job.detected_delimiter == delimiter
    assert job.rows_ok == 2
    assert Purchase.objects.get(order_id="O1").category == "服装"


def test_a_semicolon_file_with_decimal_commas_in_quotes_is_read(import_file):
    job = import_file('customer_id;order_id;ordered_at;amount\nC1;O1;2026-01-05;"1,299.00"\n')

    assert job.detected_delimiter == ";"
    assert str(Purchase.objects.get().amount) == "1299.00"
