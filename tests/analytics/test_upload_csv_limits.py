"""A CSV is parsed once in full before any row is written: NUL bytes, a huge field, too many
columns or too many rows refuse the whole file, even when they come after 10,000 good rows
(the size of a committed chunk)."""

import pytest

from analytics.models import ImportStatus, Purchase
from tests.analytics.upload_files import CHANNELS, HEADER, assert_refused_cleanly

pytestmark = pytest.mark.django_db

GOOD_ROWS = 12_000  # more than one committed chunk (engine.CHUNK_ROWS)


def good_csv(rows: int = GOOD_ROWS) -> bytes:
    lines = [",".join(HEADER)] + [f"C{n % 50},O{n},2026-01-05,10" for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_10_mb_field_after_good_rows_refuses_the_file_before_any_write(upload_through, channel):
    content = good_csv() + b'C1,O-long,2026-01-05,"' + b"9" * (10 * 1024 * 1024) + b'"\n'

    outcome = upload_through(channel, content, "orders.csv")

    assert_refused_cleanly(outcome, f"Line {GOOD_ROWS + 2} has a field longer than 128 KB")


@pytest.mark.parametrize("channel", CHANNELS)
def test_nul_bytes_far_down_the_file_refuse_it_before_any_write(upload_through, channel):
    content = good_csv() + b"C1,O\x00X,2026-01-05,10\n"

    outcome = upload_through(channel, content, "orders.csv")

    assert_refused_cleanly(outcome, f"Line {GOOD_ROWS + 2} contains NUL bytes")


def test_a_line_with_thousands_of_columns_is_refused(upload_through):
    content = good_csv(10) + b"," * 5000 + b"\n"

    outcome = upload_through("api", content, "orders.csv")

    assert_refused_cleanly(outcome, "Line 12 has 5001 columns, more than 702")


@pytest.mark.parametrize("channel", CHANNELS)
def test_rows_over_the_limit_refuse_the_file_before_any_write(upload_through, settings, channel):
    settings.SURVEYHUB_IMPORT_MAX_ROWS = GOOD_ROWS - 1

    outcome = upload_through(channel, good_csv(), "orders.csv")

    assert_refused_cleanly(outcome, f"The file has more than {GOOD_ROWS - 1} rows; split it")


def test_a_file_exactly_at_the_row_limit_is_imported(upload_through, settings):
    settings.SURVEYHUB_IMPORT_MAX_ROWS = 500

    outcome = upload_through("api", good_csv(500), "orders.csv")

    assert outcome.job.status == ImportStatus.SUCCEEDED, outcome.message
    assert Purchase.objects.count() == 500
