"""Build or fold the results pre-aggregates now (what the beat task does every few minutes)."""

from django.core.management.base import BaseCommand, CommandError

from surveys.models import Survey
from surveys.results.cube import cube_refresh, cubes_refresh


class Command(BaseCommand):
    help = "Build or update the results pre-aggregates (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--survey", type=int, help="Only this survey (by id), built even if small."
        )
        parser.add_argument("--rebuild", action="store_true", help="Rebuild from scratch.")

    def handle(self, *args, survey=None, rebuild=False, **options):
        if survey is None:
            self.stdout.write(str(cubes_refresh()))
            return
        found = Survey.objects.filter(pk=survey).first()
        if found is None:
            raise CommandError(f"No survey with id {survey}.")
        self.stdout.write(cube_refresh(survey=found, rebuild=rebuild))
