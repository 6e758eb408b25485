from django.core.management.base import BaseCommand

from feedback.analysis.services import feedback_reanalyse_all
from feedback.nlp.pipeline import analysis_version


class Command(BaseCommand):
    help = (
        "After a model or pipeline change: queue every feedback item analysed with another "
        "version for re-analysis (results are replaced in place, never duplicated)."
    )

    def handle(self, *args, **options):
        count = feedback_reanalyse_all()
        self.stdout.write(f"{count} items queued for analysis version {analysis_version()}.")
