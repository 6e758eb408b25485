"""export_survey SURVEY [--output PATH]: a survey (id or link name) as a file of our format
(surveys/design/interchange/FORMAT.md), to stdout or PATH."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from surveys.design.interchange.document import document_bytes, survey_document
from surveys.models import Survey


class Command(BaseCommand):
    help = "Export a survey (by id or link name) as JSON of SurveyHub's own format."

    def add_arguments(self, parser):
        parser.add_argument("survey", help="the survey's id or link name (slug)")
        parser.add_argument("--output", "-o", help="write the file here instead of stdout")

    def handle(self, *args, survey, output=None, **options):
        found = Survey.objects.select_related("current_version")
        found = found.filter(pk=int(survey)) if survey.isdigit() else found.filter(slug=survey)
        chosen = found.first()
        if chosen is None:
            raise CommandError(_("There is no survey “%(survey)s”.") % {"survey": survey})
        data = document_bytes(survey_document(chosen))
        if output:
            Path(output).write_bytes(data)
            self.stderr.write(f"{chosen.title} → {output} ({len(data)} bytes)")
        else:
            self.stdout.write(data.decode("utf-8"), ending="")
