from pathlib import Path

from django.core.management.base import BaseCommand

from feedback.analysis.corrections import sentiment_training_rows


class Command(BaseCommand):
    help = (
        "Write staff sentiment corrections as `label<TAB>text` lines, the format of "
        "feedback/nlp/data/train_extra.tsv, to train the next model on them."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        rows = sentiment_training_rows()
        path.write_text("".join(f"{label}\t{text}\n" for label, text in rows), encoding="utf-8")
        self.stdout.write(f"{len(rows)} corrected sentences written to {path}.")
