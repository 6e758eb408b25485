"""Shared body of `import_purchases` and `import_customers`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from analytics.imports.jobs import ImportError_, import_job_create_for_path, import_job_run
from analytics.imports.report import error_message
from analytics.models import ImportStatus


class ImportCommand(BaseCommand):
    kind = ""

    def add_arguments(self, parser):
        parser.add_argument("path", help="a CSV (UTF-8, UTF-8 BOM, GBK, GB18030) or XLSX file")
        parser.add_argument("--encoding", default="", help="e.g. gbk; detected when omitted")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument(
            "--reject-unknown-customers",
            action="store_true",
            help="reject rows whose customer is not in the directory instead of creating it",
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="HEADER=FIELD",
            help="map a column to a field, e.g. --map 会员卡=customer_id (repeatable)",
        )

    def handle(self, *args, path, encoding, dry_run, reject_unknown_customers, map, **options):
        mapping = {}
        for item in map:
            header, sep, field = item.partition("=")
            if not sep:
                raise CommandError(f"--map expects HEADER=FIELD, got {item!r}")
            mapping[header.strip()] = field.strip()
        try:
            job = import_job_create_for_path(
                kind=self.kind,
                path=Path(path).resolve(),
                encoding=encoding,
                dry_run=dry_run,
                create_customers=not reject_unknown_customers,
                mapping=mapping,
            )
        except ImportError_ as exc:
            raise CommandError(str(exc.message)) from None
        job = import_job_run(job_id=job.pk, path=Path(path).resolve())
        if job.status == ImportStatus.FAILED:
            raise CommandError(job.message_text)
        self._summary(job)

    def _summary(self, job) -> None:
        write = self.stdout.write
        if job.dry_run:
            write("Dry run: nothing was written.")
        write(
            f"Import #{job.pk} ({job.kind}): {job.rows_total} rows, {job.rows_ok} valid, "
            f"{job.rows_failed} rejected; {job.rows_created} created, {job.rows_updated} updated, "
            f"{job.customers_created} new customers."
        )
        if job.stores_added:
            write(job.stores_added_text)
        for note in job.notes_text:
            write(note)
        write(f"Encoding {job.detected_encoding or '-'}, columns: {job.columns}")
        if job.error_report:
            write(f"Error report: {job.error_report.path}")
            for error in job.errors[:10]:
                message = error_message(error["message"], error["params"])
                write(f"  row {error['row']}, {error['column']} = {error['value']!r}: {message}")
        else:
            write("No rejected rows.")
        self.stdout.write(self.style.SUCCESS("Done."))
