from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from analytics.models import Purchase
from tests.analytics.imports.files import xlsx_bytes

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-05", datetime(2026, 1, 5, tzinfo=SHANGHAI)),
        ("2026/1/5", datetime(2026, 1, 5, tzinfo=SHANGHAI)),
        ("2026年1月5日", datetime(2026, 1, 5, tzinfo=SHANGHAI)),
        ("2026-01-05 14:30", datetime(2026, 1, 5, 14, 30, tzinfo=SHANGHAI)),
        ("2026/01/05 14:30:15", datetime(2026, 1, 5, 14, 30, 15, tzinfo=SHANGHAI)),
        ("2026年1月5日 14:30", datetime(2026, 1, 5, 14, 30, tzinfo=SHANGHAI)),
        ("20260105", datetime(2026, 1, 5, tzinfo=SHANGHAI)),
        ("46027", datetime(2026, 1, 5, tzinfo=SHANGHAI)),
        ("46027.5", datetime(2026, 1, 5, 12, tzinfo=SHANGHAI)),
        ("2026-01-05T14:30:00+00:00", datetime(2026, 1, 5, 22, 30, tzinfo=SHANGHAI)),
    ],
)
def test_each_date_format_is_read(import_file, text, expected):
    job = import_file(f"customer_id,order_id,ordered_at,amount\nC1,O1,{text},1\n")

    assert job.rows_ok == 1, job.errors
    assert Purchase.objects.get().ordered_at == expected


def test_excel_dates_and_serial_numbers_in_an_xlsx_are_read(import_file):
    content = xlsx_bytes(
        [
            ["客户编号", "订单号", "下单时间", "金额"],
            ["C1", "O1", datetime(2026, 1, 5, 14, 30), 1299],
            ["C1", "O2", 46027, 10.5],
            ["C1", "O3", "2026年1月5日", "¥1,299.00"],
        ]
    )
    job = import_file(content, name="orders.xlsx")

    assert job.detected_encoding == "xlsx"
    assert job.rows_ok == 3, job.errors
    dates = dict(Purchase.objects.values_list("order_id", "ordered_at"))
    assert dates["O1"] == datetime(2026, 1, 5, 14, 30, tzinfo=SHANGHAI)
    assert dates["O2"] == datetime(2026, 1, 5, tzinfo=SHANGHAI)
    assert dates["O3"] == datetime(2026, 1, 5, tzinfo=SHANGHAI)
