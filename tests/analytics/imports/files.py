"""Build CSV and XLSX files for import tests."""

import io

from openpyxl import Workbook

HEADER = "customer_id,order_id,ordered_at,amount"


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def messages(job) -> list[tuple[int, str, str, str]]:
    """(row, column, value, message) of a job's rejected cells, in English."""
    from django.utils import translation

    from analytics.imports.report import error_message

    with translation.override("en"):
        return [
            (e["row"], e["column"], e["value"], error_message(e["message"], e["params"]))
            for e in job.errors
        ]
