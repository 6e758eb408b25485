from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from feedback.analysis.imports import feedback_import
from feedback.errors import FeedbackError
from feedback.models import FeedbackSource


class Command(BaseCommand):
    help = (
        "Import feedback from a CSV or XLSX file (UTF-8 or GBK): a text column plus optional "
        "source, external_ref, customer_external_id, phone, email, created_at."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--source",
            default=FeedbackSource.IMPORT,
            choices=[s for s in FeedbackSource.values if s != FeedbackSource.SURVEY],
            help="source of rows without a source column",
        )
        parser.add_argument("--encoding", default=None, help="e.g. gbk; detected when not given")
        parser.add_argument("--dry-run", action="store_true", help="check only, create nothing")

    def handle(self, *args, path: Path, source: str, encoding, dry_run: bool, **options):
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            result = feedback_import(path=path, source=source, encoding=encoding, dry_run=dry_run)
        except FeedbackError as exc:
            raise CommandError(f"{path}: {exc.message}") from None
        for error in result.errors:
            self.stderr.write(f"row {error.row}, column {error.column}: {error.message}")
        verb = "would create" if dry_run else "created"
        self.stdout.write(
            f"{result.rows_total} rows: {verb} {result.created} items, "
            f"{result.duplicates} already imported, {len(result.errors)} rejected."
        )
