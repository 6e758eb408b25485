from django.core.management.base import BaseCommand

from feedback.analysis.corrections import sentiment_training_rows
from feedback.nlp import model_store, train


class Command(BaseCommand):
    help = (
        "Train the next sentiment model on the shipped data plus every staff correction, "
        "then run `reanalyse_feedback` (and restart the nlp workers) to use it."
    )

    def handle(self, *args, **options):
        rows = sentiment_training_rows()
        path = model_store.corrections_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(f"{label}\t{text}\n" for label, text in rows), encoding="utf-8")
        model_store.model_version.cache_clear()
        target = train.train()
        self.stdout.write(
            f"{len(rows)} staff corrections used; model {model_store.model_version()} "
            f"written to {target}."
        )
