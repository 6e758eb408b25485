"""Each row rule: the row is rejected with its row number, column, value and exact message;
the other rows are committed."""

import pytest

from analytics.models import Purchase
from surveys.models import Customer
from tests.analytics.imports.files import messages

pytestmark = pytest.mark.django_db

HEADER = "customer_id,order_id,ordered_at,amount,currency,quantity,phone,email"
GOOD = "C1,GOOD,2026-01-05,10,CNY,1,13800138000,a@example.cn"


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        ("C1,,2026-01-05,10,,,,", "order_id", "", "Order ID is required."),
        ("C1,O2,,10,,,,", "ordered_at", "", "Order date is required."),
        ("C1,O2,2026-13-45,10,,,,", "ordered_at", "2026-13-45",
         "Not a date: expected e.g. 2026-01-05, 2026/1/5, 2026年1月5日 or 2026-01-05 14:30."),
        ("C1,O2,yesterday,10,,,,", "ordered_at", "yesterday",
         "Not a date: expected e.g. 2026-01-05, 2026/1/5, 2026年1月5日 or 2026-01-05 14:30."),
        ("C1,O2,2026-01-05,,,,,", "amount", "", "Amount is required."),
        ("C1,O2,2026-01-05,about 10,,,,", "amount", "about 10",
         "Not an amount: expected a number such as 1299.00, ¥1,299.00 or 1299元."),
        ("C1,O2,2026-01-05,1e20,,,,", "amount", "1e20",
         "Amount is too large (at most 9,999,999,999.99)."),
        ("C1,O2,2026-01-05,10,RMBX,,,", "currency", "RMBX",
         "Currency must be a three-letter code such as CNY."),
        ("C1,O2,2026-01-05,10,,2.5,,", "quantity", "2.5", "Quantity must be a whole number."),
        ("C1,O2,2026-01-05,10,,,12345,", "phone", "12345",
         "Not a phone number: expected e.g. 138 0013 8000 or +86 138 0013 8000."),
        ("C1,O2,2026-01-05,10,,,,not-an-email", "email", "not-an-email",
         "Not an email address."),
        (",O2,2026-01-05,10,,,,", "customer_id", "", "A customer ID, phone or email is required."),
        (f"{'X' * 65},O2,2026-01-05,10,,,,", "customer_id", "X" * 65,
         "Too long: at most 64 characters."),
        ("C1,GOOD,2026-01-06,20,,,,", "order_id", "GOOD",
         "This order ID appears more than once in the file."),
    ],
)  # fmt: skip
def test_a_row_breaking_a_rule_is_rejected_with_its_message(
    import_file, row, column, value, message
):
    job = import_file(f"{HEADER}\n{GOOD}\n{row}\n")

    assert job.rows_total == 2
    assert (job.rows_ok, job.rows_failed) == (1, 1)
    assert messages(job) == [(3, column, value, message)]
    assert list(Purchase.objects.values_list("order_id", flat=True)) == ["GOOD"]


def test_an_unknown_customer_is_created_by_default(import_file):
    job = import_file(f"{HEADER}\nNEW,O1,2026-01-05,10,,,,\n")

    assert job.customers_created == 1
    assert Purchase.objects.get().customer == Customer.objects.get(external_id="NEW")


def test_an_unknown_customer_is_rejected_when_asked(import_file):
    job = import_file(f"{HEADER}\n{GOOD}\nNOBODY,O2,2026-01-05,10,,,,\n", create_customers=False)

    assert messages(job) == [
        (2, "customer_id", "C1", "Unknown customer: no customer has this ID, phone or email."),
        (3, "customer_id", "NOBODY",
         "Unknown customer: no customer has this ID, phone or email."),
    ]  # fmt: skip
    assert not Customer.objects.exists()
    assert not Purchase.objects.exists()


def test_a_row_with_several_bad_cells_reports_each_and_counts_once(import_file):
    job = import_file(f"{HEADER}\nC1,O1,never,lots,,,,\n")

    assert job.rows_failed == 1
    assert [(column, value) for _row, column, value, _msg in messages(job)] == [
        ("ordered_at", "never"),
        ("amount", "lots"),
    ]


def test_messages_are_shown_in_the_request_language(import_file, admin_client):
    job = import_file(f"{HEADER}\nC1,O1,2026-01-05,,,,,\n")

    body = admin_client.get(f"/api/v1/imports/{job.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert body["errors"][0]["message"] == "金额为必填项。"
    body = admin_client.get(f"/api/v1/imports/{job.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["errors"][0]["message"] == "Amount is required."


def test_an_order_id_repeated_in_a_later_chunk_is_rejected_too(import_file, monkeypatch):
    monkeypatch.setattr("analytics.imports.engine.CHUNK_ROWS", 2)
    rows = "".join(f"C1,O{n},2026-01-05,10,,,,\n" for n in range(5))

    job = import_file(f"{HEADER}\n{rows}C1,O1,2026-02-01,99,,,,\n")

    assert (job.rows_ok, job.rows_failed) == (5, 1)
    assert messages(job) == [
        (7, "order_id", "O1", "This order ID appears more than once in the file.")
    ]
    assert str(Purchase.objects.get(order_id="O1").amount) == "10.00"
